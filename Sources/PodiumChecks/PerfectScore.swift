import PodiumMetrics

/// The `perfect_score` submission check: the primary metric at its optimum on every split
/// where it is defined — a perfect score on held-out data usually means the answers leaked.
public enum PerfectScore {
    /// - Parameters:
    ///   - metric: the challenge's primary metric.
    ///   - values: its value per split (`nil` where undefined).
    /// - Returns: a warning finding, or `nil`.
    public static func check(metric: Metric, name: String, values: [Split: Double?]) -> Finding? {
        let defined = Split.allCases.compactMap { values[$0] ?? nil }
        guard !defined.isEmpty else { return nil }
        let tolerance = 1e-12
        guard defined.allSatisfy({ abs($0 - metric.optimum) <= tolerance }) else { return nil }
        return Finding(
            name: .perfectScore, severity: .warning,
            message:
                "\(name) is at its optimum (\(metric.optimum)) on every scored split; a perfect score on hidden data "
                + "usually means the answers leaked into the submission",
            evidence: ["optimum": metric.optimum, "splits": Double(defined.count)])
    }
}
