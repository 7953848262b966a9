import Foundation
import Judge
import Metrics
import Testing

/// The example challenges in datasets/ score their baselines exactly as scikit-learn did when
/// the preparation script made them (baseline_scores.json).
@Suite("Example challenges")
struct DatasetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets")

    static var folders: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0 + "/baseline_scores.json").path) }
            .sorted()
    }

    @Test func flightChallengeIsPresent() {
        #expect(Self.folders.contains("flight-cancellations"))
    }

    @Test(arguments: folders)
    func baselineMatchesRecordedScores(_ name: String) throws {
        let folder = Self.root.appendingPathComponent(name).path
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/baseline_scores.json"))) as! [String: [String: Double]]
        let config = try ChallengeConfig.load(folder: folder)
        let report = try Scorer.score(folder: folder, config: config, submission: folder + "/baseline.csv")
        for split in Split.allCases {
            for (metric, want) in expected[split.rawValue]! {
                if metric == "rows" {
                    #expect(Double(report.rows[split] ?? -1) == want)
                    continue
                }
                let got = try #require(report.outcome(metric, split)?.value, "\(metric)")
                #expect(close(got, want), "\(name) \(metric) \(split): \(got) vs \(want)")
            }
        }
    }
}

