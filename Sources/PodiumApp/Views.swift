import Foundation
import PodiumChecks
import PodiumDomain

/// The read-only views behind `podium leaderboard`, `submissions` and the `select` command.
public enum Views {
    /// A board as of `version` (default: the current one). The private board shows only after
    /// `closes`, unless `reveal`.
    public static func leaderboard(
        _ name: String, services: Services, kind: Board.Kind, reveal: Bool, version: Int?, withHistory: Bool = true,
        ties: Bool = true
    ) throws(JudgeError) -> (Board, BoardHistory?) {
        Trace.start()
        let challenge = try services.open(name)
        Trace.mark("challenge opened")
        let number = version ?? challenge.version.number
        guard number >= 1 && number <= challenge.version.number else {
            throw JudgeError(
                code: .unknownVersion, message: "\(challenge.id) has versions 1 to \(challenge.version.number)")
        }
        let config = try challenge.config(of: number)
        let closed = challenge.closed(at: services.clock.now())
        if kind == .private && !closed && !reveal {
            let when = config.closes.map { " at \(Instants.timestamp($0))" } ?? " (no closing time is set)"
            throw JudgeError(
                code: .privateHidden, message: "the private leaderboard shows after the challenge closes\(when)")
        }
        let data = try BoardData.load(challenge)
        Trace.mark("submissions and scores loaded")
        var board = Boards.build(kind, data: data, config: config, version: number, challenge: challenge.id)
        Trace.mark("board built")
        if ties && kind == .private {
            Ties.mark(&board, intervals: try Intervals.cached(for: board, challenge: challenge, data: data))
        }
        guard withHistory else { return (board, nil) }
        return (
            board,
            history(data, config: config, version: number, showPrivate: closed || reveal, challenge: challenge.id)
        )
    }

    static func history(_ data: BoardData, config: ChallengeConfig, version: Int, showPrivate: Bool, challenge: String)
        -> BoardHistory
    {
        let higher = config.primaryMetric.higherIsBetter
        var progress: [(team: String, time: Date, best: Double)] = []
        var best: [String: Double] = [:]
        // The chart is part of the public board: it shows what the board shows to everyone (the
        // Ladder's scores under `display: ladder`), and, like the board, no held submission.
        let visibility = ScoreVisibility(config, closed: false, audience: .student)
        let shown = visibility.ladderStep == nil ? [:] : Ladder.answers(data, config: config, version: version)
        for s in data.submissions.sorted(by: { $0.submittedAt < $1.submittedAt }) where !s.late && !s.held {
            guard let score = data.score(s.id, asOf: version), score.status == .scored,
                let v = visibility.publicValue(exact: score.publicPrimary, shown: shown[s.id], primary: true),
                let t = Instants.storedInstant(s.submittedAt)
            else { continue }
            let previous = best[s.team]
            let current = previous.map { higher ? max($0, v) : min($0, v) } ?? v
            best[s.team] = current
            // One point per improvement: the chart is each team's best score so far.
            if previous != current { progress.append((s.team, t, current)) }
        }
        var shakeUp: [(team: String, publicScore: Double, privateScore: Double)] = []
        if showPrivate {
            let pub = Boards.build(.public, data: data, config: config, version: version, challenge: challenge)
            let priv = Boards.build(.private, data: data, config: config, version: version, challenge: challenge)
            for e in pub.entries {
                if let p = priv.entries.first(where: { $0.team == e.team }) {
                    shakeUp.append((e.team, e.score, p.score))
                }
            }
        }
        return BoardHistory(progress: progress, shakeUp: shakeUp)
    }

    /// A participant's (or everyone's) submissions with their current public score. One
    /// participant's list is what that student sees; the whole list is the instructor's.
    public static func submissions(_ name: String, services: Services, participant: String?) throws(JudgeError)
        -> SubmissionListing
    {
        // The filter is folded like `--as` (a name that fails the rule still matches old rows as stored).
        if let participant, Names.trimmed(participant).isEmpty {
            throw JudgeError(code: .usage, message: "a participant's name is needed")
        }
        let who = participant.map { Names.canonical($0) ?? $0 }
        let challenge = try services.open(name)
        let data = try BoardData.load(challenge, full: true)
        let version = challenge.version.number
        let rows = data.submissions.filter { who == nil || $0.participant == who || $0.team == who }
        let closed = challenge.closed(at: services.clock.now())
        let ladder = challenge.config.leaderboard.display == "ladder"
        return SubmissionListing(
            challenge: challenge.id, metric: challenge.config.primary, version: version,
            rows: rows.map { ($0, data.score($0.id, asOf: version)) },
            showPrivate: closed,
            visibility: ScoreVisibility(
                challenge.config, closed: closed, audience: participant == nil ? .instructor : .student),
            shown: ladder
                ? Ladder.answers(
                    data, config: challenge.config, version: version,
                    teams: participant == nil ? nil : Set(rows.map(\.team))) : [:],
            pending: Set(rows.filter { data.isPending($0, version: version) }.map(\.id)))
    }

    /// Chooses a team's final submissions for the private board.
    public static func select(_ name: String, services: Services, ids: [Int64]) throws(JudgeError) -> (
        team: String, ids: [Int64]
    ) {
        let challenge = try services.open(name)
        guard !ids.isEmpty else { throw JudgeError(code: .usage, message: "name at least one submission") }
        guard ids.count <= challenge.config.submissions.final else {
            throw JudgeError(
                code: .tooManySelected,
                message: "a team may select at most \(challenge.config.submissions.final) submissions")
        }
        var team: String? = nil
        for id in ids {
            guard let s = try challenge.records.submission(id) else {
                throw JudgeError(code: .unknownSubmission, message: "there is no submission \(id)")
            }
            guard s.status == .scored, !s.late else {
                throw JudgeError(
                    code: .notSelectable,
                    message:
                        "submission \(id) is \(s.late ? "late" : s.status.rawValue); only scored, on-time "
                        + "submissions can be selected"
                )
            }
            if let team, team != s.team {
                throw JudgeError(
                    code: .notSelectable,
                    message: "submissions \(ids.map(String.init).joined(separator: ", ")) belong to different teams")
            }
            team = s.team
        }
        guard let team else { throw JudgeError(code: .usage, message: "name at least one submission") }
        try challenge.records.select(team: team, ids: ids)
        AuditTrail.record(
            .select, challenge: challenge.id, subject: team,
            detail: "final selection of \(team): \(ids.map { "#\($0)" }.joined(separator: ", "))", services: services)
        return (team, ids)
    }
}

/// The rows of `podium submissions`.
public struct SubmissionListing: Sendable {
    public var challenge: String
    public var metric: String
    /// The current version: a score from an earlier one is marked (`scored_version`, `(vN)`).
    public var version: Int
    public var rows: [(SubmissionRecord, ScoreRecord?)]
    public var showPrivate: Bool
    /// Which public scores the reader may see (the Ladder's for a student before the close).
    public var visibility: ScoreVisibility
    /// The Ladder's answer to each submission (`display: ladder` only).
    public var shown: [Int64: Double]
    /// The listed submissions that wait for a re-score on `version`.
    public var pending: Set<Int64>

    public init(
        challenge: String, metric: String, version: Int, rows: [(SubmissionRecord, ScoreRecord?)], showPrivate: Bool,
        visibility: ScoreVisibility, shown: [Int64: Double], pending: Set<Int64>
    ) {
        self.challenge = challenge
        self.metric = metric
        self.version = version
        self.rows = rows
        self.showPrivate = showPrivate
        self.visibility = visibility
        self.shown = shown
        self.pending = pending
    }
}

extension Views {
    /// Submissions whose newest score carries a check finding (`perfect_score`, bundle checks).
    public static func flaggedSubmissions(_ name: String, services: Services) throws(JudgeError) -> [FlaggedSubmission]
    {
        let challenge = try services.open(name)
        let submissions = try challenge.records.submissions(team: nil)
        let scores = try challenge.records.scores(withReports: true)
        var newest: [Int64: ScoreRecord] = [:]
        for s in scores where s.version >= (newest[s.submissionId]?.version ?? 0) { newest[s.submissionId] = s }
        // The public–private gap, computed here for the instructor only: told to a student
        // before the close, it would leak the private board.
        let sign = challenge.config.primaryMetric.higherIsBetter ? 1.0 : -1.0
        let gaps = submissions.compactMap { s -> PublicPrivateGap.Entry? in
            guard s.status == .scored, let score = newest[s.id], score.version == challenge.version.number,
                let p = score.publicPrimary, let q = score.privatePrimary
            else { return nil }
            return PublicPrivateGap.Entry(id: s.id, team: s.team, gap: sign * (p - q))
        }
        let gapFlags = Dictionary(PublicPrivateGap.flag(gaps).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [FlaggedSubmission] = []
        for s in submissions {
            var names: [String] = []
            if let report = newest[s.id]?.report, let stored = StoredReport.decode(report) {
                names = (stored.checks ?? []).map { "\($0.name) (\($0.severity))" }
            }
            if let g = gapFlags[s.id] {
                names.append(String(format: "probing (warning): public-private gap z = %.1f >= %.1f", g.z, g.threshold))
            }
            if !names.isEmpty { out.append(FlaggedSubmission(id: s.id, participant: s.participant, checks: names)) }
        }
        return out
    }
}

extension Views {
    /// An instructor clears a held submission: it returns to the public board; the reason is stored.
    public static func clear(_ name: String, services: Services, id: Int64, reason: String) throws(JudgeError) {
        let challenge = try services.open(name)
        guard !reason.isEmpty else { throw JudgeError(code: .usage, message: "a reason is required") }
        let cleared = try challenge.records.clear(id, reason: reason)
        guard cleared else { throw JudgeError(code: .notHeld, message: "submission \(id) is not held") }
        AuditTrail.record(
            .clear, challenge: challenge.id, subject: "#\(id)", detail: "cleared the hold: \(reason)",
            services: services)
    }
}

/// A submission whose newest score carries a check finding, for the instructor.
public struct FlaggedSubmission: Sendable, Codable, Equatable {
    public var id: Int64
    public var participant: String
    /// `name (severity)` of each finding.
    public var checks: [String]
}
