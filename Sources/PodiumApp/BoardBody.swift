import PodiumDomain

extension Board {
    /// What "≈" (`tied_with_above`) means, said on every format that can show it.
    public static let tieNote =
        "≈ (tied_with_above): the 95% bootstrap intervals of the two scores overlap; "
        + "the ranks are not statistically distinct"
}

/// A leaderboard as the outside sees it (`podium leaderboard --format json`).
public struct BoardBody: Encodable, Sendable, Equatable {
    public var challenge: String
    /// `public` or `private`.
    public var board: String
    public var metric: String
    public var higherIsBetter: Bool
    public var version: Int
    /// The Ladder's step when the public board shows Ladder scores; `null` otherwise.
    public var ladderStep: Double?
    public var tieNote: String
    /// Submissions not yet scored on `version`.
    public var pending: Int
    public var entries: [BoardEntryBody]

    enum CodingKeys: String, CodingKey {
        case challenge, board, metric
        case higherIsBetter = "higher_is_better"
        case version
        case ladderStep = "ladder_step"
        case tieNote = "tie_note"
        case pending, entries
    }

    public init(_ board: Board) {
        challenge = board.challenge
        self.board = board.kind.rawValue
        metric = board.metric
        higherIsBetter = board.higherIsBetter
        version = board.version
        ladderStep = board.ladderStep
        tieNote = Board.tieNote
        pending = board.pending
        entries = board.entries.map(BoardEntryBody.init)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(challenge, forKey: .challenge)
        try c.encode(board, forKey: .board)
        try c.encode(metric, forKey: .metric)
        try c.encode(higherIsBetter, forKey: .higherIsBetter)
        try c.encode(version, forKey: .version)
        try c.encodeNumber(ladderStep, forKey: .ladderStep)
        try c.encode(tieNote, forKey: .tieNote)
        try c.encode(pending, forKey: .pending)
        try c.encode(entries, forKey: .entries)
    }
}

/// One team's row of a leaderboard.
public struct BoardEntryBody: Encodable, Sendable, Equatable {
    public var rank: Int
    public var team: String
    public var score: Double
    public var submission: Int64
    public var entries: Int
    public var submittedAt: String
    /// The 95% bootstrap interval of the score; `null` when not computed.
    public var ciLow: Double?
    public var ciHigh: Double?
    public var tiedWithAbove: Bool
    public var scoredVersion: Int

    enum CodingKeys: String, CodingKey {
        case rank, team, score, submission, entries
        case submittedAt = "submitted_at"
        case ciLow = "ci_low"
        case ciHigh = "ci_high"
        case tiedWithAbove = "tied_with_above"
        case scoredVersion = "scored_version"
    }

    public init(_ entry: BoardEntry) {
        rank = entry.rank
        team = entry.team
        score = entry.score
        submission = entry.submissionId
        entries = entry.entries
        submittedAt = entry.submittedAt
        ciLow = entry.interval?.low
        ciHigh = entry.interval?.high
        tiedWithAbove = entry.tiedWithAbove
        scoredVersion = entry.scoredVersion
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rank, forKey: .rank)
        try c.encode(team, forKey: .team)
        try c.encodeNumber(score, forKey: .score)
        try c.encode(submission, forKey: .submission)
        try c.encode(entries, forKey: .entries)
        try c.encode(submittedAt, forKey: .submittedAt)
        try c.encodeNumber(ciLow, forKey: .ciLow)
        try c.encodeNumber(ciHigh, forKey: .ciHigh)
        try c.encode(tiedWithAbove, forKey: .tiedWithAbove)
        try c.encode(scoredVersion, forKey: .scoredVersion)
    }
}
