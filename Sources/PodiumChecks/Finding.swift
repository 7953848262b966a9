/// How much a finding matters.
public enum Severity: String, Sendable, Codable, Comparable {
    case info, warning, block

    public static func < (a: Severity, b: Severity) -> Bool {
        let order: [Severity] = [.info, .warning, .block]
        return order.firstIndex(of: a) ?? 0 < order.firstIndex(of: b) ?? 0
    }
}

/// What a check found: data, not an error. Only a refusal throws.
public struct Finding: Sendable, Equatable, Codable {
    /// The check's stable name (`perfect_score`).
    public var name: CheckName
    public var severity: Severity
    /// A plain-words explanation a student or instructor can act on.
    public var message: String
    /// Evidence: the statistic, its threshold, counts.
    public var evidence: [String: Double]

    public init(name: CheckName, severity: Severity, message: String, evidence: [String: Double] = [:]) {
        self.name = name
        self.severity = severity
        self.message = message
        self.evidence = evidence
    }
}

/// Every check's stable name: the dataset checks (`podium check`, publishing) in the order
/// reports list them, then the checks of a scored submission.
public enum CheckName: String, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case idOverlap = "id_overlap"
    case duplicateRows = "duplicate_rows"
    case nearDuplicateRows = "near_duplicate_rows"
    case targetLeakFeature = "target_leak_feature"
    case idOrderLeak = "id_order_leak"
    case groupLeak = "group_leak"
    case timeSplit = "time_split"
    case publicPrivateSplit = "public_private_split"
    case unseenCategories = "unseen_categories"
    /// Why the label checks did not run (an unreadable train or solution file).
    case labelChecks = "label_checks"
    case perfectScore = "perfect_score"
    case probing
    case bundleContainsLabels = "bundle_contains_labels"
    case bundleTrainingOverlap = "bundle_training_overlap"

    public var description: String { rawValue }

    /// Report order: the order of the cases.
    public static func < (a: CheckName, b: CheckName) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}
