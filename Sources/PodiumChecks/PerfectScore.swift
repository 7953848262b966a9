import PodiumMetrics

/// The `perfect_score` submission check: the primary metric at its optimum on the public split —
/// a perfect score on held-out data usually means the answers leaked. Only the public split
/// decides: a hold (what a student sees before the close) must not tell them anything about the
/// private rows.
public enum PerfectScore {
    /// - Parameters:
    ///   - metric: the challenge's primary metric.
    ///   - values: its value per split (`nil` where undefined).
    /// - Returns: a warning finding, or `nil`.
    public static func check(metric: Metric, name: String, values: [Split: Double?]) -> Finding? {
        let defined = [Split.public].compactMap { values[$0] ?? nil }
        guard !defined.isEmpty else { return nil }
        let tolerance = 1e-12
        guard defined.allSatisfy({ abs($0 - metric.optimum) <= tolerance }) else { return nil }
        return Finding(
            name: .perfectScore, severity: .warning,
            message:
                "\(name) is at its optimum (\(metric.optimum)) on the public split; a perfect score on hidden data "
                + "usually means the answers leaked into the submission",
            evidence: ["optimum": metric.optimum, "splits": Double(defined.count)])
    }
}
