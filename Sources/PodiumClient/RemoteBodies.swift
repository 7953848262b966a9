import PodiumDomain

// The server's JSON bodies (docs/api.md) as the command line reads them back: small Decodable
// mirrors of the Encodable values PodiumApp writes, holding what the text output needs.

/// `POST /api/v1/tokens`.
public struct RemoteToken: Decodable, Sendable {
    public var token: String
    public var name: String
    public var role: String?
}

/// `GET /api/v1/me`.
public struct RemoteAccount: Decodable, Sendable {
    public var name: String
    public var role: String
    public var display: String?
    public var teams: [String: String]?
}

/// A challenge of `GET /api/v1/challenges` (`ChallengeSummary`); with `files` and `readme`,
/// `GET /api/v1/challenges/{id}` (`ChallengeInfo`).
public struct RemoteChallenge: Decodable, Sendable {
    public var id: String
    public var title: String
    public var task: String
    public var metric: String
    public var higherIsBetter: Bool
    public var state: String
    public var opens: String?
    public var closes: String?
    public var version: Int
    public var perDay: Int
    public var total: Int?
    public var final: Int
    public var kinds: [String]
    public var participant: String?
    public var team: String?
    public var remainingToday: Int?
    public var remainingTotal: Int?
    public var dayResetsAt: String?
    public var files: [RemoteFile]?
    public var readme: String?

    enum CodingKeys: String, CodingKey {
        case id, title, task, metric
        case higherIsBetter = "higher_is_better"
        case state, opens, closes, version
        case perDay = "per_day"
        case total, final, kinds, participant, team
        case remainingToday = "remaining_today"
        case remainingTotal = "remaining_total"
        case dayResetsAt = "day_resets_at"
        case files, readme
    }
}

/// A public file of a challenge: what `podium download` fetches and checks.
public struct RemoteFile: Decodable, Sendable {
    public var name: String
    public var bytes: Int64
    public var sha256: String
}

/// The `202` of `POST /api/v1/challenges/{id}/submissions`.
public struct RemoteAccepted: Decodable, Sendable {
    /// The API's id, `CHALLENGE-N` (the path of `GET /api/v1/submissions/{id}`).
    public var id: String
    /// The number within the challenge (what `select` and `clear` take).
    public var submission: Int64
    public var challenge: String?
    public var status: String
    public var queuePosition: Int?

    enum CodingKeys: String, CodingKey {
        case id, submission, challenge, status
        case queuePosition = "queue_position"
    }
}

/// An error's code and message as a body carries it.
public struct RemoteErrorDetail: Decodable, Sendable {
    public var code: String
    public var message: String

    public init(from decoder: any Decoder) throws {
        // An object `{code, message}`, or (leniently) a bare message.
        if let c = try? decoder.container(keyedBy: CodingKeys.self) {
            code = try c.decode(String.self, forKey: .code)
            message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
        } else {
            code = "error"
            message = try decoder.singleValueContainer().decode(String.self)
        }
    }

    enum CodingKeys: String, CodingKey { case code, message }

    /// Internal to the judge: the student is not at fault.
    public var isInternal: Bool {
        ["internal", "sandbox_error", "judge_error", "store_failed", "database_error"].contains(code)
    }
}

/// A finding of a check.
public struct RemoteFinding: Decodable, Sendable {
    public var name: String
    public var severity: String
    public var message: String
}

/// `GET /api/v1/submissions/{id}` (`SubmissionBody`: the receipt of `podium submit --json`).
public struct RemoteSubmission: Decodable, Sendable {
    public var status: SubmissionStatus
    public var submission: Int64
    public var participant: String
    public var team: String
    public var late: Bool
    public var held: Bool
    public var primary: String?
    public var ladderStep: Double?
    public var scores: [String: [String: Double?]]?
    public var warnings: [String]?
    /// The checks' findings, one line each (`name: message`, or the server's `name (severity)`).
    public var checks: [String]?
    public var error: RemoteErrorDetail?
    public var rank: Rank?
    public var remainingToday: Int?
    public var remainingTotal: Int?
    public var dayResetsAt: String?
    public var queuePosition: Int?
    public var run: Run?

    public struct Rank: Decodable, Sendable {
        public var before: Int?
        public var after: Int?
        public var of: Int
        public var pending: Int
    }

    /// The bundle run, when the body has one.
    public struct Run: Decodable, Sendable {
        public var status: String
        public var cpuSeconds: Double
        public var wallSeconds: Double
        public var peakMemoryMB: Double

        enum CodingKeys: String, CodingKey {
            case status
            case cpuSeconds = "cpu_seconds"
            case wallSeconds = "wall_seconds"
            case peakMemoryMB = "peak_memory_mb"
        }
    }

    enum CodingKeys: String, CodingKey {
        case status, submission, id, participant, team, late, held, primary
        case ladderStep = "ladder_step"
        case scores, warnings, checks, error, rank
        case remainingToday = "remaining_today"
        case remainingTotal = "remaining_total"
        case dayResetsAt = "day_resets_at"
        case queuePosition = "queue_position"
        case run
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(SubmissionStatus.self, forKey: .status)
        submission = try c.decodeIfPresent(Int64.self, forKey: .submission) ?? c.decode(Int64.self, forKey: .id)
        participant = try c.decode(String.self, forKey: .participant)
        team = try c.decodeIfPresent(String.self, forKey: .team) ?? participant
        late = try c.decodeIfPresent(Bool.self, forKey: .late) ?? false
        held = try c.decodeIfPresent(Bool.self, forKey: .held) ?? false
        primary = try c.decodeIfPresent(String.self, forKey: .primary)
        ladderStep = try c.decodeIfPresent(Double.self, forKey: .ladderStep)
        scores = try c.decodeIfPresent([String: [String: Double?]].self, forKey: .scores)
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings)
        if let findings = try? c.decodeIfPresent([RemoteFinding].self, forKey: .checks) {
            checks = findings.map { "\($0.name): \($0.message)" }
        } else {
            checks = try c.decodeIfPresent([String].self, forKey: .checks)
        }
        error = try c.decodeIfPresent(RemoteErrorDetail.self, forKey: .error)
        rank = try c.decodeIfPresent(Rank.self, forKey: .rank)
        remainingToday = try c.decodeIfPresent(Int.self, forKey: .remainingToday)
        remainingTotal = try c.decodeIfPresent(Int.self, forKey: .remainingTotal)
        dayResetsAt = try c.decodeIfPresent(String.self, forKey: .dayResetsAt)
        queuePosition = try c.decodeIfPresent(Int.self, forKey: .queuePosition)
        run = try? c.decodeIfPresent(Run.self, forKey: .run)
    }
}

/// A row of `GET /api/v1/challenges/{id}/submissions` (`ListingRow`).
public struct RemoteRow: Decodable, Sendable {
    public var id: Int64
    public var participant: String
    public var team: String
    public var submittedAt: String
    public var status: String
    public var late: Bool
    public var selected: Bool
    public var held: Bool
    public var publicScore: Double?
    /// Absent before the close (nil), `null` when there is none (`.some(nil)`).
    public var privateScore: Double??
    public var ladderStep: Double?
    public var scoredVersion: Int?
    public var pending: Bool
    public var error: RemoteErrorDetail?

    enum CodingKeys: String, CodingKey {
        case id, participant, team
        case submittedAt = "submitted_at"
        case status, late, selected, held
        case publicScore = "public"
        case privateScore = "private"
        case ladderStep = "ladder_step"
        case scoredVersion = "scored_version"
        case pending, error
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        participant = try c.decode(String.self, forKey: .participant)
        team = try c.decode(String.self, forKey: .team)
        submittedAt = try c.decode(String.self, forKey: .submittedAt)
        status = try c.decode(String.self, forKey: .status)
        late = try c.decodeIfPresent(Bool.self, forKey: .late) ?? false
        selected = try c.decodeIfPresent(Bool.self, forKey: .selected) ?? false
        held = try c.decodeIfPresent(Bool.self, forKey: .held) ?? false
        publicScore = try c.decodeIfPresent(Double.self, forKey: .publicScore)
        privateScore =
            c.contains(.privateScore) ? .some(try c.decodeIfPresent(Double.self, forKey: .privateScore)) : nil
        ladderStep = try c.decodeIfPresent(Double.self, forKey: .ladderStep)
        scoredVersion = try c.decodeIfPresent(Int.self, forKey: .scoredVersion)
        pending = try c.decodeIfPresent(Bool.self, forKey: .pending) ?? false
        error = try c.decodeIfPresent(RemoteErrorDetail.self, forKey: .error)
    }
}

/// `GET /api/v1/challenges/{id}/leaderboard?format=json` (`BoardBody`).
public struct RemoteBoard: Decodable, Sendable {
    public var challenge: String
    public var board: String
    public var metric: String
    public var higherIsBetter: Bool
    public var version: Int
    public var ladderStep: Double?
    public var tieNote: String?
    public var pending: Int
    public var entries: [Entry]

    public struct Entry: Decodable, Sendable {
        public var rank: Int
        public var team: String
        public var score: Double?
        public var entries: Int
        public var submittedAt: String
        public var tiedWithAbove: Bool
        public var scoredVersion: Int

        enum CodingKeys: String, CodingKey {
            case rank, team, score, entries
            case submittedAt = "submitted_at"
            case tiedWithAbove = "tied_with_above"
            case scoredVersion = "scored_version"
        }
    }

    enum CodingKeys: String, CodingKey {
        case challenge, board, metric
        case higherIsBetter = "higher_is_better"
        case version
        case ladderStep = "ladder_step"
        case tieNote = "tie_note"
        case pending, entries
    }
}

/// `PUT /api/v1/challenges/{id}/selection`.
public struct RemoteSelection: Decodable, Sendable {
    public var team: String
    public var ids: [Int64]
    public var replaced: [Int64]?
}

/// `POST /api/v1/challenges` (`PublishBody`).
public struct RemotePublish: Decodable, Sendable {
    public var status: String
    public var challenge: String
    public var version: Int
    public var contentHash: String
    public var rescoreDue: Bool
    public var findings: [RemoteFinding]

    enum CodingKeys: String, CodingKey {
        case status, challenge, version
        case contentHash = "content_hash"
        case rescoreDue = "rescore_due"
        case findings
    }
}

/// `GET /api/v1/challenges/{id}/check` (`CheckBody`).
public struct RemoteCheck: Decodable, Sendable {
    public var challenge: String
    public var blocked: Bool
    public var findings: [RemoteFinding]
    public var checksRun: [String]
    public var allowed: [String: String]
    public var flaggedSubmissions: [Flagged]?

    public struct Flagged: Decodable, Sendable {
        public var id: Int64
        public var participant: String
        public var checks: [String]
    }

    enum CodingKeys: String, CodingKey {
        case challenge, blocked, findings
        case checksRun = "checks_run"
        case allowed
        case flaggedSubmissions = "flagged_submissions"
    }
}

/// `POST /api/v1/challenges/{id}/rescore` (`{"job"}`) and `GET /api/v1/jobs/{id}`.
public struct RemoteJob: Decodable, Sendable {
    /// The job's id (a number or a string: written back as the server gave it).
    public var id: String
    public var state: String
    public var done: Int
    public var total: Int
    public var summary: Summary?
    public var error: RemoteErrorDetail?

    /// `RescoreSummaryBody`.
    public struct Summary: Decodable, Sendable {
        public var version: Int
        public var dryRun: Bool?
        public var pending: Int
        public var scored: Int
        public var rejected: Int
        public var failed: Int
        public var seconds: Double
        public var moves: [Move]

        public struct Move: Decodable, Sendable {
            public var team: String
            public var before: Int?
            public var after: Int?
        }

        enum CodingKeys: String, CodingKey {
            case version
            case dryRun = "dry_run"
            case pending, scored, rejected, failed, seconds, moves
        }
    }

    enum CodingKeys: String, CodingKey { case id, job, state, done, total, summary, error }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let key: CodingKeys = c.contains(.id) ? .id : .job
        id = try (try? c.decode(Int64.self, forKey: key)).map(String.init) ?? c.decode(String.self, forKey: key)
        state = try c.decodeIfPresent(String.self, forKey: .state) ?? "running"
        done = try c.decodeIfPresent(Int.self, forKey: .done) ?? 0
        total = try c.decodeIfPresent(Int.self, forKey: .total) ?? 0
        summary = try? c.decodeIfPresent(Summary.self, forKey: .summary)
        error = try? c.decodeIfPresent(RemoteErrorDetail.self, forKey: .error)
    }
}
