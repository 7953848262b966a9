import Foundation
import PodiumDomain

/// Who reads a submission: an instructor (everything), or a participant (their own or their
/// team's submissions only, scores as DESIGN §7 lets a student see them).
public enum Viewer: Sendable, Equatable {
    case instructor
    case participant(String)
}

extension Views {
    /// One submission as its reader may see it (`GET /api/v1/submissions/{id}`, the web page):
    /// another participant's submission is `unknown_submission`, as if it did not exist.
    public static func submission(_ name: String, id: Int64, services: Services, viewer: Viewer) throws(JudgeError)
        -> SubmissionBody
    {
        let challenge = try services.open(name)
        let missing = JudgeError(code: .unknownSubmission, message: "there is no submission \(id)")
        guard let s = try challenge.records.submission(id) else { throw missing }
        if case .participant(let who) = viewer {
            let team = try Submitter.teamOf(who, challenge)
            guard s.participant == who || s.team == team else { throw missing }
        }
        let now = services.clock.now()
        let config = challenge.config
        let version = challenge.version.number
        let closed = challenge.closed(at: now)
        let visibility = ScoreVisibility(
            config, closed: closed, audience: viewer == .instructor ? .instructor : .student)
        var body = SubmissionBody(challenge: challenge.id, s)
        if s.status == .scored || s.status == .failed || s.status == .rejected {
            let data = try BoardData.load(challenge, full: true)
            if let score = data.score(s.id, asOf: version), score.status == .scored,
                let report = try challenge.records.report(submission: s.id, version: score.version),
                let stored = StoredReport.decode(report)
            {
                let shown =
                    config.leaderboard.display == "ladder"
                    ? Ladder.answers(data, config: config, version: version, teams: [s.team])[s.id] : nil
                body.primary = stored.primary
                body.ladderStep = visibility.ladderStep
                var scores: [String: [String: Double?]] = [:]
                let splits = closed || viewer == .instructor ? ["public", "private"] : ["public"]
                for split in splits {
                    guard let values = stored.scores?[split] else { continue }
                    var visible: [String: Double?] = [:]
                    for (metric, value) in values {
                        visible[metric] =
                            split == "public"
                            ? visibility.publicValue(exact: value, shown: shown, primary: metric == stored.primary)
                            : value
                    }
                    scores[split] = visible
                }
                body.scores = scores
                body.warnings = stored.warnings
                body.checks = stored.checks?.map { "\($0.name) (\($0.severity))" }
                body.scoredVersion = score.version
            }
            let after = Boards.build(.public, data: data, config: config, version: version, challenge: challenge.id)
            var earlier = data
            earlier.submissions.removeAll { $0.id >= s.id }
            let before = Boards.build(.public, data: earlier, config: config, version: version, challenge: challenge.id)
            body.rank = ReceiptBody.Rank(
                before: before.rank(of: s.team), after: after.rank(of: s.team), of: after.entries.count,
                pending: after.pending)
        }
        if case .participant = viewer {
            let remaining = try Submitter.remaining(challenge, team: s.team, at: now)
            body.remainingToday = remaining.today
            body.remainingTotal = remaining.total
            body.dayResetsAt = Instants.timestamp(remaining.dayResetsAt)
        }
        return body
    }
}

/// A submission as the API and the remote command line show it: the receipt of
/// `podium submit --json` plus what a waiting student asks (where it is in the queue).
public struct SubmissionBody: Encodable, Sendable, Equatable {
    public var challenge: String
    /// The API's id, `CHALLENGE-N`.
    public var id: String
    public var submission: Int64
    public var participant: String
    public var team: String
    public var status: SubmissionStatus
    public var submittedAt: String
    public var file: String
    public var message: String?
    public var late: Bool
    public var held: Bool
    public var selected: Bool
    public var primary: String?
    public var ladderStep: Double?
    /// The visible splits' metric values by name (`null`: undefined or withheld).
    public var scores: [String: [String: Double?]]?
    public var scoredVersion: Int?
    public var warnings: [String]?
    /// `name (severity)` of each check finding.
    public var checks: [String]?
    public var error: ErrorDetail?
    public var rank: ReceiptBody.Rank?
    public var remainingToday: Int?
    public var remainingTotal: Int?
    public var dayResetsAt: String?
    /// While queued: 1 = the next to be evaluated.
    public var queuePosition: Int?

    init(challenge: String, _ s: SubmissionRecord) {
        self.challenge = challenge
        id = "\(challenge)-\(s.id)"
        submission = s.id
        participant = s.participant
        team = s.team
        status = s.status
        submittedAt = s.submittedAt
        file = s.fileName
        message = s.message
        late = s.late
        held = s.held
        selected = s.selected
        error = s.error.map(ErrorDetail.init)
    }

    /// Whether the status is final (scored, rejected or failed).
    public var isFinal: Bool { status != .queued && status != .running }

    enum CodingKeys: String, CodingKey {
        case challenge, id, submission, participant, team, status
        case submittedAt = "submitted_at"
        case file, message, late, held, selected, primary
        case ladderStep = "ladder_step"
        case scores
        case scoredVersion = "scored_version"
        case warnings, checks, error, rank
        case remainingToday = "remaining_today"
        case remainingTotal = "remaining_total"
        case dayResetsAt = "day_resets_at"
        case queuePosition = "queue_position"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(challenge, forKey: .challenge)
        try c.encode(id, forKey: .id)
        try c.encode(submission, forKey: .submission)
        try c.encode(participant, forKey: .participant)
        try c.encode(team, forKey: .team)
        try c.encode(status, forKey: .status)
        try c.encode(submittedAt, forKey: .submittedAt)
        try c.encode(file, forKey: .file)
        try c.encodeIfPresent(message, forKey: .message)
        try c.encode(late, forKey: .late)
        try c.encode(held, forKey: .held)
        try c.encode(selected, forKey: .selected)
        try c.encodeIfPresent(primary, forKey: .primary)
        if let ladderStep { try c.encodeNumber(ladderStep, forKey: .ladderStep) }
        if let scores {
            var splits = c.nestedContainer(keyedBy: JSONKey.self, forKey: .scores)
            for (split, values) in scores { try splits.encodeNumbers(values, forKey: JSONKey(split)) }
        }
        try c.encodeIfPresent(scoredVersion, forKey: .scoredVersion)
        try c.encodeIfPresent(warnings, forKey: .warnings)
        try c.encodeIfPresent(checks, forKey: .checks)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(rank, forKey: .rank)
        if let remainingToday {
            try c.encode(remainingToday, forKey: .remainingToday)
            try c.encodeOrNull(remainingTotal, forKey: .remainingTotal)
            try c.encodeIfPresent(dayResetsAt, forKey: .dayResetsAt)
        }
        try c.encodeIfPresent(queuePosition, forKey: .queuePosition)
    }
}
