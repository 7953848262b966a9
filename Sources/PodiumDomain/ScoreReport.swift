import PodiumChecks
import PodiumMetrics
import SandboxProtocol

/// The outcome of scoring one submission: DESIGN §4's JSON, as values.
public struct ScoreReport: Sendable {
    public var challenge: String
    public var primary: String
    public var higherIsBetter: Bool
    /// The metric names, primary first, exactly as configured.
    public var metrics: [String]
    public var scores: [Split: [Outcome]]
    public var warnings: [String] = []
    public var checks: [Finding] = []
    /// The bootstrap interval of the primary metric per split, when asked for.
    public var intervals: [Split: Interval?]? = nil
    public var rows: [Split: Int] = [:]
    /// The sandbox run, for a model bundle.
    public var run: SandboxRun? = nil
    /// The predictions' fingerprint for the `probing` check (binary and regression).
    public var probe: ProbeSignature? = nil

    /// A metric's outcome on a split.
    public func outcome(_ metric: String, _ split: Split) -> Outcome? {
        metrics.firstIndex(of: metric).flatMap { scores[split]?[$0] }
    }
}
