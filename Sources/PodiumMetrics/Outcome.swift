/// The value of one metric on one split, or the reason it has none.
///
/// A metric that is undefined on a split (AUC with one class present, any metric on an
/// empty split) is reported as `null` with its reason, never as a made-up number.
public enum Outcome: Sendable, Equatable {
    case value(Double)
    case undefined(String)

    /// The number, when the metric is defined.
    public var value: Double? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// The reason, when the metric is undefined.
    public var reason: String? {
        if case .undefined(let r) = self { return r }
        return nil
    }

    static let noRows = Outcome.undefined("no rows in this split")
}

/// The two scored halves of a challenge's answer key.
public enum Split: String, Sendable, CaseIterable, Hashable {
    case `public`
    case `private`
}
