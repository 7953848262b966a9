#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far two labellings of the same rows agree beyond chance: Cohen's kappa, and how likely
/// the observed agreement is under chance alone.
public struct LabelAgreement: Sendable, Equatable {
    public var rows: Int
    public var agreements: Int
    /// The share of rows whose two labels are equal.
    public var observed: Double
    /// The agreement chance gives: Σ over labels of the product of the two labellings' shares.
    public var chance: Double
    /// Cohen's kappa, (observed − chance) / (1 − chance); `nil` when chance is 1 (one label on
    /// both sides: agreement says nothing).
    public var kappa: Double?

    /// Cohen's kappa of `a[i]` against `b[i]` (Cohen 1960, "A coefficient of agreement for
    /// nominal scales"). `nil` for no rows.
    public init?<Label: Hashable>(_ a: [Label], _ b: [Label]) {
        precondition(a.count == b.count)
        guard !a.isEmpty else { return nil }
        var left: [Label: Double] = [:]
        var right: [Label: Double] = [:]
        var agree = 0
        for (x, y) in zip(a, b) {
            left[x, default: 0] += 1
            right[y, default: 0] += 1
            if x == y { agree += 1 }
        }
        let n = Double(a.count)
        rows = a.count
        agreements = agree
        observed = Double(agree) / n
        chance = left.reduce(0) { $0 + $1.value * (right[$1.key] ?? 0) } / (n * n)
        kappa = chance < 1 ? (observed - chance) / (1 - chance) : nil
    }

    /// An upper bound on the probability that chance alone gives at least this many agreements
    /// among these rows: Chernoff's bound exp(−n·KL(observed ‖ chance)) on a binomial tail (1
    /// when the observed agreement is not above chance).
    public var chanceProbability: Double {
        let p = chance
        let q = observed
        let n = Double(rows)
        guard q > p else { return 1 }
        guard p > 0 else { return 0 }
        if q >= 1 { return pow(p, n) }
        let divergence = q * log(q / p) + (1 - q) * log((1 - q) / (1 - p))
        return exp(-n * divergence)
    }
}
