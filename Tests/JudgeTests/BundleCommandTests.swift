import Foundation
import Testing

/// `podium bundle init` writes a bundle that works in each runtime; `podium bundle test` runs
/// it as a submission would and records nothing.
@Suite("podium bundle init and test", .serialized)
struct BundleCommandTests {
    /// The flight challenge (a copy) allowing every runtime; without its answer key when `solution` is false.
    static func challenge(_ root: String, solution: Bool = true) throws -> String {
        let folder = root + "/flights"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = repositoryRoot + "/datasets/flight-cancellations"
        for name in ["challenge.yaml", "test.csv", "train.csv"] + (solution ? ["solution.csv"] : []) {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder + "/" + name)
        }
        var yaml = try String(contentsOfFile: folder + "/challenge.yaml", encoding: .utf8)
        // Every runtime, whatever the course's copy allows.
        yaml = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  runtimes:") }.joined(separator: "\n")
            .replacingOccurrences(of: "sandbox:\n", with: "sandbox:\n  runtimes: [tabular, deep, embeddings]\n")
        try yaml.write(toFile: folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    func temporary() throws -> String {
        let root = NSTemporaryDirectory() + "podium-bundle-cmd-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    @Test(arguments: ["tabular", "deep", "embeddings"])
    func theStartingBundleOfEachRuntimeRunsAndScores(_ runtime: String) throws {
        let root = try temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try Self.challenge(root)
        let made = try run(podiumPath, ["bundle", "init", "--runtime", runtime, root + "/b", "--challenge", folder])
        #expect(made.status == 0, "\(made.stderr)")
        let yaml = try String(contentsOfFile: root + "/b/bundle.yaml", encoding: .utf8)
        #expect(yaml.contains("runtime: \(runtime)\n") && yaml.contains("run: python3 predict.py"))
        let tried = try run(podiumPath, ["bundle", "test", root + "/b", "--challenge", folder, "--json"])
        #expect(tried.status == 0, "\(tried.stdout) \(tried.stderr)")
        let run = tried.json?["run"] as? [String: Any]
        #expect(run?["verdict"] as? String == "ok" && (run?["cpu_seconds"] as? Double ?? 0) > 0)
        // A constant 0.5: AUC 0.5, computed by the judge on the public split.
        #expect((tried.json?["public"] as? [String: Any])?["auc"] as? Double == 0.5, "\(tried.stdout)")
    }

    @Test func aTrialRecordsNothingAndTellsWhatASubmitWouldRefuse() throws {
        let root = try temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try Self.challenge(root)
        let home = root + "/home"
        #expect(try run(podiumPath, ["publish", folder, "--home", home]).status == 0)
        #expect(try run(podiumPath, ["bundle", "init", "--runtime", "embeddings", root + "/b"]).status == 0)
        // By the published challenge's id: scored, and nothing recorded.
        let tried = try run(
            podiumPath, ["bundle", "test", root + "/b", "--challenge", "flight-cancellations", "--home", home])
        #expect(tried.status == 0 && tried.stdout.contains("public: auc 0.500000"), "\(tried.stdout) \(tried.stderr)")
        let listed = try run(podiumPath, ["submissions", "flight-cancellations", "--home", home, "--json"])
        #expect(listed.status == 0 && !listed.stdout.contains("\"submission\""), "\(listed.stdout)")
        // The course's own flight challenge allows tabular and deep only.
        let refused = try run(
            podiumPath,
            ["bundle", "test", root + "/b", "--challenge", Self.repositoryRoot + "/datasets/flight-cancellations"])
        #expect(refused.status == 1 && refused.stdout.contains("runtime_not_allowed"), "\(refused.stdout)")
        #expect(refused.stdout.contains("allows tabular, deep"), "\(refused.stdout)")
        // init never writes into a folder that has files.
        let again = try run(podiumPath, ["bundle", "init", root + "/b", "--json"])
        #expect(again.status == 1 && again.stdout.contains("already_exists"))
        #expect(try run(podiumPath, ["bundle", "init", "--runtime", "gpu", root + "/c"]).status == 2)
    }

    /// Without the answer key (a student's copy of the data), the output's shape is checked.
    @Test func withoutTheAnswerKeyTheColumnsAndIdsAreChecked() throws {
        let root = try temporary()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try Self.challenge(root, solution: false)
        #expect(try run(podiumPath, ["bundle", "init", root + "/b", "--challenge", folder]).status == 0)
        let fine = try run(podiumPath, ["bundle", "test", root + "/b", "--challenge", folder, "--json"])
        #expect(fine.status == 0 && fine.json?["rows"] as? Int == 55_403, "\(fine.stdout) \(fine.stderr)")
        // One row short: a submit would refuse it.
        let script = root + "/b/predict.py"
        let text = try String(contentsOfFile: script, encoding: .utf8)
            .replacingOccurrences(of: "predictions.to_csv", with: "predictions.iloc[:-1].to_csv")
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let short = try run(podiumPath, ["bundle", "test", root + "/b", "--challenge", folder, "--json"])
        #expect(short.status == 1 && short.stdout.contains("missing_id"), "\(short.stdout)")
    }
}
