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

    static let defaults: [String: Defaults] = [
        "duplicate_rows": Defaults(warn: nil, block: 0.8, statistic: "Cohen's kappa of copied rows' labels"),
        "near_duplicate_rows": Defaults(warn: nil, block: 0.8, statistic: "Cohen's kappa of copied rows' labels"),
        "target_leak_feature": Defaults(warn: 0.95, block: 0.999, statistic: "AUC*"),
        "id_order_leak": Defaults(warn: 0.6, block: 0.8, statistic: "AUC*"),
        "group_leak": Defaults(warn: 0.05, block: 0.2, statistic: "share of a rarer class's Private rows"),
    ]

    /// Refuses an override of an unknown check (or of one without thresholds), a threshold
    /// outside [0, 1], a warning threshold for a check that has none, and `warn` above `block`
    /// (the other one taken from the defaults when only one is given).
    static func validate(_ checks: YAMLMapping) throws(JudgeError) -> [String: ChallengeConfig.Thresholds] {
        var out: [String: ChallengeConfig.Thresholds] = [:]
        let names = defaults.keys.sorted()
        for pair in checks.pairs {
            guard let d = defaults[pair.key] else {
                throw .invalidChallenge(
                    "unknown check '\(pair.key)' in 'checks'; the checks with thresholds are \(names.joined(separator: ", "))",
                    line: pair.line, key: "checks.\(pair.key)")
            }
            let m = try YAMLMapping(pair.value, path: "checks.\(pair.key)")
            try m.only(d.warn == nil ? ["block"] : ["warn", "block"])
            let warn = try m.number("warn"), block = try m.number("block")
            for (key, value) in [("warn", warn), ("block", block)] {
                guard let value, !(0...1).contains(value) else { continue }
                throw .invalidChallenge(
                    "'checks.\(pair.key).\(key)' must be between 0 and 1 (\(d.statistic)), not \(value)",
                    line: m.line(of: key), key: "checks.\(pair.key).\(key)")
            }
            if let w = warn ?? d.warn, w > (block ?? d.block) {
                let blame = warn != nil ? "warn" : "block"
                throw .invalidChallenge(
                    "'checks.\(pair.key)': warn (\(w)) is above block (\(block ?? d.block))\(warn == nil || block == nil ? " (the other is the default)" : ""); a finding must warn before it blocks",
                    line: m.line(of: blame), key: "checks.\(pair.key).\(blame)")
            }
            out[pair.key] = ChallengeConfig.Thresholds(warn: warn, block: block)
        }
        return out
    }
}
