import PodiumChecks

/// The dataset checks whose thresholds `challenge.yaml`'s `checks:` may override, with their
/// defaults: one table for the checks and for the validation of the overrides.
enum CheckThresholds {
    struct Defaults {
        /// `nil`: the check has no warning threshold (any finding of it warns).
        var warn: Double?
        var block: Double
        /// What the numbers measure, for messages.
        var statistic: String
    }

    static let defaults: [CheckName: Defaults] = [
        .duplicateRows: Defaults(warn: nil, block: 0.8, statistic: "Cohen's kappa of copied rows' labels"),
        .nearDuplicateRows: Defaults(warn: nil, block: 0.8, statistic: "Cohen's kappa of copied rows' labels"),
        .targetLeakFeature: Defaults(warn: 0.95, block: 0.999, statistic: "AUC*"),
        .idOrderLeak: Defaults(warn: 0.6, block: 0.8, statistic: "AUC*"),
        .groupLeak: Defaults(warn: 0.05, block: 0.2, statistic: "share of a rarer class's Private rows"),
    ]

    /// Refuses an override of an unknown check (or of one without thresholds), a threshold
    /// outside [0, 1], a warning threshold for a check that has none, and `warn` above `block`
    /// (the other one taken from the defaults when only one is given).
    static func validate(_ checks: YAMLMapping) throws(JudgeError) -> [CheckName: ChallengeConfig.Thresholds] {
        var out: [CheckName: ChallengeConfig.Thresholds] = [:]
        let names = defaults.keys.sorted().map(\.rawValue)
        for pair in checks.pairs {
            guard let name = CheckName(rawValue: pair.key), let d = defaults[name] else {
                throw .invalidChallenge(
                    "unknown check '\(pair.key)' in 'checks'; the checks with thresholds are "
                        + "\(names.joined(separator: ", "))",
                    line: pair.line, key: "checks.\(pair.key)")
            }
            let m = try YAMLMapping(pair.value, path: "checks.\(pair.key)")
            try m.only(d.warn == nil ? ["block"] : ["warn", "block"])
            let warn = try m.number("warn")
            let block = try m.number("block")
            for (key, value) in [("warn", warn), ("block", block)] {
                guard let value, !(0...1).contains(value) else { continue }
                throw .invalidChallenge(
                    "'checks.\(pair.key).\(key)' must be between 0 and 1 (\(d.statistic)), not \(value)",
                    line: m.line(of: key), key: "checks.\(pair.key).\(key)")
            }
            if let w = warn ?? d.warn, w > (block ?? d.block) {
                let blame = warn != nil ? "warn" : "block"
                throw .invalidChallenge(
                    "'checks.\(pair.key)': warn (\(w)) is above block "
                        + "(\(block ?? d.block))\(warn == nil || block == nil ? " (the other is the default)" : ""); "
                        + "a finding must warn before it blocks",
                    line: m.line(of: blame), key: "checks.\(pair.key).\(blame)")
            }
            out[name] = ChallengeConfig.Thresholds(warn: warn, block: block)
        }
        return out
    }
}
