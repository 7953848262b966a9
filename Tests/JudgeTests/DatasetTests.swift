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

@Suite("The example model bundle")
struct ExampleBundleTests {
    /// The flight challenge's bundle scores in the sandbox exactly as its predictions do when
    /// predict.py runs outside it.
    @Test func sandboxedBundleMatchesAPlainRun() throws {
        let folder = DatasetTests.root.appendingPathComponent("flight-cancellations").path
        let work = NSTemporaryDirectory() + "podium-example-bundle-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let made = try shell("tar -czf '\(work)/b.tgz' -C '\(folder)/bundle' bundle.yaml predict.py model.json")
        #expect(made.status == 0)
        let plain = try shell(
            "cd '\(folder)/bundle' && PODIUM_INPUT='\(folder)/test.csv' PODIUM_OUTPUT='\(work)/plain.csv' /usr/bin/python3 predict.py")
        #expect(plain.status == 0, "\(plain.stderr)")
        let sandboxed = try run(podiumPath, ["score", "--challenge", folder, work + "/b.tgz", "--json"])
        let direct = try run(podiumPath, ["score", "--challenge", folder, work + "/plain.csv", "--json"])
        #expect(sandboxed.status == 0, "\(sandboxed.stdout) \(sandboxed.stderr)")
        let a = sandboxed.json?["scores"] as? [String: [String: Double]]
        let b = direct.json?["scores"] as? [String: [String: Double]]
        #expect(a != nil && a == b)
        #expect((sandboxed.json?["run"] as? [String: Any])?["exit_status"] as? Int == 0)
    }
}
