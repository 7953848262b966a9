import PodiumDomain

/// `podium rescore --json`: what a re-score did (or would do) and how the public board moved.
public struct RescoreSummaryBody: Encodable, Sendable, Equatable {
    public var version: Int
    public var dryRun: Bool
    public var pending: Int
    public var scored: Int
    public var rejected: Int
    public var failed: Int
    public var seconds: Double
    public var moves: [Move]

    /// A team's public rank before and after (`null`: off the board).
    public struct Move: Encodable, Sendable, Equatable {
        public var team: String
        public var before: Int?
        public var after: Int?

        enum CodingKeys: String, CodingKey {
            case team, before, after
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(team, forKey: .team)
            try c.encodeOrNull(before, forKey: .before)
            try c.encodeOrNull(after, forKey: .after)
        }
    }

    enum CodingKeys: String, CodingKey {
        case version
        case dryRun = "dry_run"
        case pending, scored, rejected, failed, seconds, moves
    }

    public init(_ summary: Rescorer.Summary) {
        version = summary.version
        dryRun = summary.dryRun
        pending = summary.pending
        scored = summary.rescored
        rejected = summary.rejected
        failed = summary.failed
        seconds = summary.seconds
        moves = summary.moves.map { Move(team: $0.team, before: $0.before, after: $0.after) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encode(pending, forKey: .pending)
        try c.encode(scored, forKey: .scored)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(failed, forKey: .failed)
        try c.encodeNumber(seconds, forKey: .seconds)
        try c.encode(moves, forKey: .moves)
    }
}
