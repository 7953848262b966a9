import PodiumDomain
import PodiumMetrics

extension Submitter.Receipt {
    /// A score the student may see: private ones only after the close (never asked for before),
    /// public ones through `ScoreVisibility` (metric `k`; the primary is the first).
    public func visible(_ split: Split, _ k: Int, _ outcome: Outcome) -> Double? {
        split == .public ? visibility.publicValue(exact: outcome.value, shown: shown, primary: k == 0) : outcome.value
    }

    /// The splits the student may see.
    public var visibleSplits: [Split] { revealPrivate ? [.public, .private] : [.public] }
}

/// What `podium submit --json` tells the student: never a private score before the close.
public struct ReceiptBody: Encodable, Sendable, Equatable {
    public var status: SubmissionStatus
    public var submission: Int64
    public var participant: String
    public var team: String
    public var late: Bool
    public var held: Bool
    /// The primary metric, when scored.
    public var primary: String?
    /// The Ladder's step, when scored under `display: ladder`.
    public var ladderStep: Double?
    /// The visible splits' metric values by name, when scored (`null`: undefined or withheld).
    public var scores: [String: [String: Double?]]?
    public var warnings: [String]?
    public var checks: [FindingBody]?
    /// Why it was rejected or failed.
    public var error: ErrorDetail?
    public var rank: Rank
    /// Submissions left today and in all (`null`: no total cap), and when the day resets.
    public var remainingToday: Int?
    public var remainingTotal: Int?
    public var dayResetsAt: String?

    /// The team's public rank before and after (`null`: not on the board), of how many teams,
    /// and how many scores on the board wait for a re-score.
    public struct Rank: Encodable, Sendable, Equatable {
        public var before: Int?
        public var after: Int?
        public var of: Int
        public var pending: Int

        enum CodingKeys: String, CodingKey {
            case before, after, of, pending
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeOrNull(before, forKey: .before)
            try c.encodeOrNull(after, forKey: .after)
            try c.encode(of, forKey: .of)
            try c.encode(pending, forKey: .pending)
        }
    }

    enum CodingKeys: String, CodingKey {
        case status, submission, participant, team, late, held, primary
        case ladderStep = "ladder_step"
        case scores, warnings, checks, error, rank
        case remainingToday = "remaining_today"
        case remainingTotal = "remaining_total"
        case dayResetsAt = "day_resets_at"
    }

    public init(_ receipt: Submitter.Receipt) {
        let s = receipt.submission
        status = s.status
        submission = s.id
        participant = s.participant
        team = s.team
        late = s.late
        held = s.held
        if let report = receipt.report {
            primary = report.primary
            ladderStep = receipt.visibility.ladderStep
            var scores: [String: [String: Double?]] = [:]
            for split in receipt.visibleSplits {
                let values = zip(report.metrics, report.scores[split] ?? []).enumerated().map { k, pair in
                    (pair.0, receipt.visible(split, k, pair.1))
                }
                scores[split.rawValue] = Dictionary(values, uniquingKeysWith: { a, _ in a })
            }
            self.scores = scores
            warnings = report.warnings
            checks = report.checks.map(FindingBody.init)
        }
        error = receipt.error.map(ErrorDetail.init)
        rank = Rank(
            before: receipt.rankBefore, after: receipt.rankAfter, of: receipt.teamCount, pending: receipt.pending)
        remainingToday = receipt.remaining?.today
        remainingTotal = receipt.remaining?.total
        dayResetsAt = receipt.remaining.map { Instants.timestamp($0.dayResetsAt) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(submission, forKey: .submission)
        try c.encode(participant, forKey: .participant)
        try c.encode(team, forKey: .team)
        try c.encode(late, forKey: .late)
        try c.encode(held, forKey: .held)
        try c.encodeIfPresent(primary, forKey: .primary)
        if let ladderStep { try c.encodeNumber(ladderStep, forKey: .ladderStep) }
        if let scores {
            var splits = c.nestedContainer(keyedBy: JSONKey.self, forKey: .scores)
            for (split, values) in scores { try splits.encodeNumbers(values, forKey: JSONKey(split)) }
        }
        try c.encodeIfPresent(warnings, forKey: .warnings)
        try c.encodeIfPresent(checks, forKey: .checks)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encode(rank, forKey: .rank)
        if let remainingToday {
            try c.encode(remainingToday, forKey: .remainingToday)
            try c.encodeOrNull(remainingTotal, forKey: .remainingTotal)
            try c.encodeIfPresent(dayResetsAt, forKey: .dayResetsAt)
        }
    }
}
