/// What a challenge asks participants to predict.
public enum TaskKind: String, Sendable, CaseIterable {
    case binary, multiclass, regression, ranking
}

/// How per-class precision, recall and F1 are combined (scikit-learn's `average=`).
public enum Averaging: String, Sendable, CaseIterable {
    case macro, micro, weighted
}

/// A metric of DESIGN §5, parsed from its name (`auc`, `f1_macro`, `ndcg@10`).
public enum Metric: Hashable, Sendable {
    case accuracy
    /// Binary, positive class 1, `zero_division=0`.
    case precision, recall, f1
    case precisionAveraged(Averaging)
    case recallAveraged(Averaging)
    case f1Averaged(Averaging)
    /// Binary ROC AUC, or the macro one-vs-rest mean for multiclass.
    case auc
    /// Multiclass one-vs-rest AUC weighted by class support.
    case aucWeighted
    case averagePrecision
    case logloss
    case rmse, mse, mae, r2
    /// trec_eval `ndcg_cut.K` (gain = relevance); `nil` = no cutoff.
    case ndcg(Int?)
    /// NDCG with gain 2^rel − 1 (Burges).
    case ndcgExp(Int?)
    /// scikit-learn `ndcg_score`: tied scores share their gain.
    case ndcgTieAveraged(Int?)
    case precisionAt(Int)
    case recallAt(Int)
    /// Kaggle `apk`: divided by min(relevant, K).
    case mapAt(Int)
    /// trec_eval `map_cut.K`: divided by the number relevant; `nil` = trec_eval `map`.
    case mapTrec(Int?)
    /// trec_eval `recip_rank`; with a cutoff, 0 below K.
    case mrr(Int?)

    /// Parses a metric name exactly as DESIGN §5 spells it; `nil` if it is not one.
    public init?(name: String) {
        let parts = name.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let base = String(parts[0])
        var k: Int? = nil
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(digits), value > 0, value <= 1_000_000
            else { return nil }
            k = value
        }
        switch (base, k) {
        case ("accuracy", nil): self = .accuracy
        case ("precision", nil): self = .precision
        case ("recall", nil): self = .recall
        case ("f1", nil): self = .f1
        case ("auc", nil): self = .auc
        case ("auc_weighted", nil): self = .aucWeighted
        case ("average_precision", nil): self = .averagePrecision
        case ("logloss", nil): self = .logloss
        case ("rmse", nil): self = .rmse
        case ("mse", nil): self = .mse
        case ("mae", nil): self = .mae
        case ("r2", nil): self = .r2
        case ("ndcg", _): self = .ndcg(k)
        case ("ndcg_exp", _): self = .ndcgExp(k)
        case ("ndcg_tieavg", _): self = .ndcgTieAveraged(k)
        case ("precision", let k?): self = .precisionAt(k)
        case ("recall", let k?): self = .recallAt(k)
        case ("map", let k?): self = .mapAt(k)
        case ("map_trec", _): self = .mapTrec(k)
        case ("mrr", _): self = .mrr(k)
        default:
            guard k == nil else { return nil }
            for avg in Averaging.allCases {
                switch base {
                case "precision_\(avg.rawValue)":
                    self = .precisionAveraged(avg)
                    return
                case "recall_\(avg.rawValue)":
                    self = .recallAveraged(avg)
                    return
                case "f1_\(avg.rawValue)":
                    self = .f1Averaged(avg)
                    return
                default: continue
                }
            }
            return nil
        }
    }

    /// Whether the metric is defined for a task.
    public func supports(_ task: TaskKind) -> Bool {
        switch self {
        case .accuracy, .precisionAveraged, .recallAveraged, .f1Averaged, .auc, .logloss:
            return task == .binary || task == .multiclass
        case .precision, .recall, .f1, .averagePrecision:
            return task == .binary
        case .aucWeighted:
            return task == .multiclass
        case .rmse, .mse, .mae, .r2:
            return task == .regression
        case .ndcg, .ndcgExp, .ndcgTieAveraged, .precisionAt, .recallAt, .mapAt, .mapTrec, .mrr:
            return task == .ranking
        }
    }

    /// True when larger values are better (the leaderboard sorts descending).
    public var higherIsBetter: Bool {
        switch self {
        case .logloss, .rmse, .mse, .mae: return false
        default: return true
        }
    }

    /// The best value the metric can take.
    public var optimum: Double {
        higherIsBetter ? 1 : 0
    }

    /// Every metric name a task accepts, for help texts and error messages.
    public static func names(for task: TaskKind) -> [String] {
        let all = [
            "accuracy", "precision", "recall", "f1", "f1_macro", "f1_micro", "f1_weighted",
            "precision_macro", "precision_micro", "precision_weighted", "recall_macro",
            "recall_micro", "recall_weighted", "auc", "auc_weighted", "average_precision",
            "logloss", "rmse", "mse", "mae", "r2", "ndcg@K", "ndcg_exp@K", "ndcg_tieavg@K",
            "precision@K", "recall@K", "map@K", "map_trec@K", "mrr", "mrr@K",
        ]
        return all.filter { Metric(name: $0.replacingK())?.supports(task) ?? false }
    }
}

extension String {
    fileprivate func replacingK() -> String {
        hasSuffix("@K") ? String(dropLast(2)) + "@10" : self
    }
}
