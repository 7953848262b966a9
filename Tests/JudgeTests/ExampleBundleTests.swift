import Foundation
import Testing

/// The course's example bundles on the named runtimes (LightGBM, ONNX, a Keras CNN, sentence
/// embeddings): each scores in the sandbox exactly as its predictions score when predict.py
/// runs outside it with the same runtime's interpreter, and as its `expected_scores.json` says.
extension SandboxTests {
    static let examples: [(challenge: String, bundle: String, runtime: String)] = [
        ("flight-cancellations", "bundle-lightgbm", "tabular"),
        ("flight-cancellations", "bundle-onnx", "deep"),
        ("fashion-images", "bundle-keras", "deep"),
        ("review-sentiment", "bundle-embeddings", "embeddings"),
    ]

    @Test(arguments: examples.map { "\($0.challenge)/\($0.bundle)" })
    func exampleBundleScoresInTheSandboxAsOutsideIt(_ path: String) throws {
        let example = Self.examples.first { "\($0.challenge)/\($0.bundle)" == path }!
        let folder = Self.datasets + "/" + example.challenge
        let source = folder + "/" + example.bundle
        let work = NSTemporaryDirectory() + "podium-example-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        // Everything but the training script goes into the archive, as a student would pack it.
        let packed = try shell(
            "cd '\(source)' && tar -czf '\(work)/b.tgz' --exclude=train_model.py --exclude=__pycache__ "
                + "--exclude=expected_scores.json --exclude=README.md .")
        #expect(packed.status == 0, "\(packed.stderr)")
        let python = Self.datasets + "/../sandbox/runtimes/\(example.runtime)/venv/bin/python"
        let plain = try shell(
            "cd '\(source)' && PODIUM_INPUT='\(folder)/test.csv' PODIUM_OUTPUT='\(work)/plain.csv' OMP_NUM_THREADS=2 "
                + "TF_NUM_INTRAOP_THREADS=2 TF_NUM_INTEROP_THREADS=1 TF_CPP_MIN_LOG_LEVEL=2 '\(python)' predict.py")
        #expect(plain.status == 0, "\(plain.stderr)")
        let sandboxed = try foundationRun(
            podiumPath, ["score", "--challenge", folder, work + "/b.tgz", "--json"], environment: [:])
        let direct = try foundationRun(
            podiumPath, ["score", "--challenge", folder, work + "/plain.csv", "--json"], environment: [:])
        #expect(sandboxed.json?["status"] as? String == "scored", "\(sandboxed.stdout) \(sandboxed.stderr)")
        #expect((sandboxed.json?["run"] as? [String: Any])?["status"] as? String == "ok")
        let inside = try #require(sandboxed.json?["scores"] as? [String: [String: Double]], "\(sandboxed.stdout)")
        let outside = try #require(direct.json?["scores"] as? [String: [String: Double]], "\(direct.stdout)")
        let expected = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: source + "/expected_scores.json")))
                as? [String: [String: Double]])
        for split in ["public", "private"] {
            for (metric, want) in expected[split] ?? [:] {
                let a = try #require(inside[split]?[metric], "\(path) \(metric)")
                let b = try #require(outside[split]?[metric], "\(path) \(metric)")
                // Same interpreter, same libraries, same threads: the same predictions, to rounding
                // of multithreaded sums.
                #expect(abs(a - b) <= 1e-6, "\(path) \(metric) \(split): sandbox \(a), outside \(b)")
                #expect(abs(a - want) <= 1e-4, "\(path) \(metric) \(split): \(a), expected \(want)")
            }
        }
    }
}
