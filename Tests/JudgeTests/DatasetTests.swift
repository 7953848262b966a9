import Foundation
import PodiumDomain
import PodiumMetrics
import Testing

/// The example challenges in datasets/ score their baselines exactly as scikit-learn did when
/// the preparation script made them (baseline_scores.json).
@Suite("Example challenges")
struct DatasetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets")

    static var folders: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent($0 + "/baseline_scores.json").path)
        }
        .sorted()
    }

    /// The course's four challenges; two are built at set-up (scripts/setup.sh) from
    /// installed packages whose licences forbid committing their data.
    static let course = ["flight-cancellations", "fashion-images", "review-sentiment", "movie-recommendations"]

    @Test func courseChallengesArePresent() {
        for name in Self.course {
            #expect(Self.folders.contains(name), "datasets/\(name) is not prepared: run scripts/setup.sh")
        }
    }

    @Test(arguments: folders)
    func baselineMatchesRecordedScores(_ name: String) throws {
        let folder = Self.root.appendingPathComponent(name).path
        let expected = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: folder + "/baseline_scores.json"))) as? [String: Any])
        let config = try ChallengeConfig.load(folder: folder)
        let report = try Scorer.score(folder: folder, config: config, predictions: folder + "/baseline.csv")
        for split in Split.allCases {
            let values = try #require(
                expected[split.rawValue] as? [String: Double], "\(name): no \(split.rawValue) scores")
            #expect(
                values.keys.filter { $0 != "rows" }.count == config.metricNames.count, "\(name): every metric recorded")
            for (metric, want) in values {
                if metric == "rows" {
                    #expect(Double(report.rows[split] ?? -1) == want)
                    continue
                }
                let got = try #require(report.outcome(metric, split)?.value, "\(metric)")
                #expect(close(got, want), "\(name) \(metric) \(split): \(got) vs \(want)")
            }
        }
    }

    /// Every example publishes as is: no blocking leakage finding, through the real command.
    @Test(arguments: folders)
    func publishesWithoutBlockingFinding(_ name: String) throws {
        let folder = Self.root.appendingPathComponent(name).path
        let report = try DatasetChecks.run(folder: folder, config: try ChallengeConfig.load(folder: folder))
        #expect(report.blocked.isEmpty, "\(name): \(report.text())")
        let home = NSTemporaryDirectory() + "podium-course-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        let r = try run(podiumPath, ["publish", folder, "--home", home, "--json"])
        #expect(r.status == 0 && r.json?["version"] as? Int == 1, "\(r.stdout) \(r.stderr)")
    }
}
