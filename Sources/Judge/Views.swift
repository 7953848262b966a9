import Checks
import Foundation
import Store

/// The read-only views behind `podium leaderboard`, `submissions` and the `select` command.
public enum Views {
    /// A board as of `version` (default: the current one). The private board shows only after
    /// `closes`, unless `reveal`.
    public static func leaderboard(
        _ name: String, home: Home, kind: Board.Kind, reveal: Bool, version: Int?, withHistory: Bool = true,
        ties: Bool = true
    ) throws(JudgeError) -> (Board, BoardHistory?) {
        Trace.start()
        let challenge = try home.open(name)
        Trace.mark("challenge opened")
        let number = version ?? challenge.version.number
        guard number >= 1 && number <= challenge.version.number else {
            throw JudgeError(code: "unknown_version", message: "\(challenge.id) has versions 1 to \(challenge.version.number)")
        }
        let config = number == challenge.version.number ? challenge.config : try challenge.config(of: number)
        let closed = challenge.closed(at: currentTime())
        if kind == .private && !closed && !reveal {
            let when = config.closes.map { " at \(timestamp($0))" } ?? " (no closing time is set)"
            throw JudgeError(code: "private_hidden", message: "the private leaderboard shows after the challenge closes\(when); pass --reveal to see it anyway")
        }
        let data = try BoardData.load(challenge)
        Trace.mark("submissions and scores loaded")
        var board = Boards.build(kind, data: data, config: config, version: number, challenge: challenge.id)
        Trace.mark("board built")
        if ties && kind == .private { try Ties.mark(&board, challenge: challenge, data: data, config: config) }
        guard withHistory else { return (board, nil) }
        return (board, history(data, config: config, version: number, showPrivate: closed || reveal, challenge: challenge.id))
    }

    static func history(_ data: BoardData, config: ChallengeConfig, version: Int, showPrivate: Bool, challenge: String) -> BoardHistory {
        let higher = config.primaryMetric.higherIsBetter
        var progress: [(team: String, time: Date, best: Double)] = []
        var best: [String: Double] = [:]
        // The chart is part of the public board: it shows what the board shows to everyone (the
        // Ladder's scores under `display: ladder`), and, like the board, no held submission.
        let visibility = ScoreVisibility(config, closed: false, audience: .student)
        let shown = visibility.ladderStep == nil ? [:] : Ladder.answers(data, config: config, version: version)
        for s in data.submissions.sorted(by: { $0.submittedAt < $1.submittedAt }) where !s.late && !s.held {
            guard let score = data.score(s.id!, asOf: version), score.status == "scored",
                let v = visibility.publicValue(exact: score.publicPrimary, shown: shown[s.id!], primary: true),
                let t = storedInstant(s.submittedAt)
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
                if let p = priv.entries.first(where: { $0.team == e.team }) { shakeUp.append((e.team, e.score, p.score)) }
            }
        }
        return BoardHistory(progress: progress, shakeUp: shakeUp)
    }

    /// A participant's (or everyone's) submissions with their current public score. One
    /// participant's list is what that student sees; the whole list is the instructor's.
    public static func submissions(_ name: String, home: Home, participant: String?) throws(JudgeError) -> SubmissionListing {
        // The filter is folded like `--as` (a name that fails the rule still matches old rows as stored).
        if let participant, Names.trimmed(participant).isEmpty { throw JudgeError(code: "usage", message: "--as needs a name") }
        let who = participant.map { Names.canonical($0) ?? $0 }
        let challenge = try home.open(name)
        let data = try BoardData.load(challenge, full: true)
        let version = challenge.version.number
        let rows = data.submissions.filter { who == nil || $0.participant == who || $0.team == who }
        let closed = challenge.closed(at: currentTime())
        let ladder = challenge.config.leaderboard.display == "ladder"
        return SubmissionListing(
            challenge: challenge.id, metric: challenge.config.primary, version: version,
            rows: rows.map { ($0, data.score($0.id!, asOf: version)) },
            showPrivate: closed,
            visibility: ScoreVisibility(challenge.config, closed: closed, audience: participant == nil ? .instructor : .student),
            shown: ladder ? Ladder.answers(data, config: challenge.config, version: version, teams: participant == nil ? nil : Set(rows.map(\.team))) : [:],
            pending: Set(rows.filter { data.isPending($0, version: version) }.map { $0.id! }))
    }

    /// Chooses a team's final submissions for the private board.
    public static func select(_ name: String, home: Home, ids: [Int64]) throws(JudgeError) -> (team: String, ids: [Int64]) {
        let challenge = try home.open(name)
        guard !ids.isEmpty else { throw JudgeError(code: "usage", message: "name at least one submission") }
        guard ids.count <= challenge.config.submissions.final else {
            throw JudgeError(code: "too_many_selected", message: "a team may select at most \(challenge.config.submissions.final) submissions")
        }
        var team: String? = nil
        for id in ids {
            guard let s = try storeCall({ () throws(StoreError) in try challenge.database.submission(id) }) else {
                throw JudgeError(code: "unknown_submission", message: "there is no submission \(id)")
            }
            guard s.status == "scored", !s.late else {
                throw JudgeError(code: "not_selectable", message: "submission \(id) is \(s.late ? "late" : s.status); only scored, on-time submissions can be selected")
            }
            if let team, team != s.team {
                throw JudgeError(code: "not_selectable", message: "submissions \(ids.map(String.init).joined(separator: ", ")) belong to different teams")
            }
            team = s.team
        }
        try storeCall { () throws(StoreError) in try challenge.database.select(team: team!, ids: ids) }
        return (team!, ids)
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

    /// The public score the reader may see.
    func publicScore(_ s: SubmissionRecord, _ score: ScoreRecord?) -> Double? {
        visibility.publicValue(exact: score?.publicPrimary, shown: shown[s.id!], primary: true)
    }

    /// An instructor's list under the Ladder also has the score each student was shown.
    var showsLadderColumn: Bool { visibility.ladderStep == nil && !shown.isEmpty }

    /// A score with its version when that is not the current one.
    func cell(_ value: Double?, _ score: ScoreRecord?) -> String {
        guard let value else { return "—" }
        return formatScore(value) + (score.map { $0.version != version ? " (v\($0.version))" : "" } ?? "")
    }

    public func text() -> String {
        let header = "id    participant     team            submitted                 status    public \(metric)\(showPrivate ? "  private" : "")"
        var lines = [header + (showsLadderColumn ? "  shown    " : "") + "  notes"]
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        if let step = visibility.ladderStep {
            lines.insert("public scores are the Ladder's (step \(formatScore(step))): they move only when a submission beats the shown score by more than the step", at: 0)
        }
        if !pending.isEmpty {
            lines.insert("\(pending.count) score\(pending.count == 1 ? "" : "s") pending re-scoring on version \(version); a score marked (vN) was computed on version N", at: 0)
        }
        for (s, score) in rows {
            var notes: [String] = []
            if s.late { notes.append("late") }
            if s.selected { notes.append("selected") }
            if s.held { notes.append("held") }
            // One line per submission: the first line of a message (a bundle's stderr tail is
            // whole in --json and in --id N).
            if let code = s.errorCode { notes.append("\(code): \(Escaping.oneLine(s.errorMessage ?? ""))") }
            var line = pad("\(s.id!)", 6) + pad(Escaping.oneLine(s.participant), 16) + pad(Escaping.oneLine(s.team), 16) + pad(s.submittedAt, 26) + pad(s.status, 10)
            line += pad(cell(publicScore(s, score), score), 9 + metric.count)
            if showPrivate { line += pad(cell(score?.privatePrimary, score), 9) }
            if showsLadderColumn { line += pad(shown[s.id!].map(formatScore) ?? "—", 11) }
            lines.append(line + notes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .array(rows.map { s, score in
            var pairs: [(String, JSONValue)] = [
                ("id", .integer(Int(s.id!))), ("participant", .string(s.participant)), ("team", .string(s.team)),
                ("submitted_at", .string(s.submittedAt)), ("status", .string(s.status)), ("late", .bool(s.late)),
                ("selected", .bool(s.selected)), ("held", .bool(s.held)), ("file", .string(s.fileName)), ("sha256", .string(s.fileSha256)),
                ("public", publicScore(s, score).map(JSONValue.number) ?? .null),
            ]
            if showPrivate { pairs.append(("private", score?.privatePrimary.map(JSONValue.number) ?? .null)) }
            if showsLadderColumn { pairs.append(("shown", shown[s.id!].map(JSONValue.number) ?? .null)) }
            if let step = visibility.ladderStep { pairs.append(("ladder_step", .number(step))) }
            pairs.append(("scored_version", score.map { .integer($0.version) } ?? .null))
            pairs.append(("pending", .bool(pending.contains(s.id!))))
            if let code = s.errorCode {
                pairs.append(("error", .object([("code", .string(code)), ("message", .string(s.errorMessage ?? ""))])))
            }
            if let message = s.message { pairs.append(("message", .string(message))) }
            return .object(pairs)
        })
    }
}

extension Views {
    /// Submissions whose newest score carries a check finding (`perfect_score`, bundle checks).
    public static func flaggedSubmissions(_ name: String, home: Home) throws(JudgeError) -> [(id: Int64, participant: String, checks: [String])] {
        let challenge = try home.open(name)
        let submissions = try storeCall { () throws(StoreError) in try challenge.database.submissions() }
        let scores = try storeCall { () throws(StoreError) in try challenge.database.scores() }
        var newest: [Int64: ScoreRecord] = [:]
        for s in scores where s.version >= (newest[s.submissionId]?.version ?? 0) { newest[s.submissionId] = s }
        // The public–private gap, computed here for the instructor only: told to a student
        // before the close, it would leak the private board.
        let sign = challenge.config.primaryMetric.higherIsBetter ? 1.0 : -1.0
        let gaps = submissions.compactMap { s -> PublicPrivateGap.Entry? in
            guard s.status == "scored", let score = newest[s.id!], score.version == challenge.version.number,
                let p = score.publicPrimary, let q = score.privatePrimary
            else { return nil }
            return PublicPrivateGap.Entry(id: s.id!, team: s.team, gap: sign * (p - q))
        }
        let gapFlags = Dictionary(PublicPrivateGap.flag(gaps).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [(Int64, String, [String])] = []
        for s in submissions {
            var names: [String] = []
            if let report = newest[s.id!]?.report,
                let json = try? JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any],
                let checks = json["checks"] as? [[String: Any]]
            {
                names = checks.compactMap { c in (c["name"] as? String).map { "\($0) (\(c["severity"] as? String ?? ""))" } }
            }
            if let g = gapFlags[s.id!] {
                names.append(String(format: "probing (warning): public-private gap z = %.1f >= %.1f", g.z, g.threshold))
            }
            if !names.isEmpty { out.append((s.id!, s.participant, names)) }
        }
        return out.map { (id: $0.0, participant: $0.1, checks: $0.2) }
    }
}

extension Views {
    /// An instructor clears a held submission: it returns to the public board; the reason is stored.
    public static func clear(_ name: String, home: Home, id: Int64, reason: String) throws(JudgeError) {
        let challenge = try home.open(name)
        guard !reason.isEmpty else { throw JudgeError(code: "usage", message: "--reason is required") }
        let cleared = try storeCall { () throws(StoreError) in try challenge.database.clear(id, reason: reason) }
        guard cleared else { throw JudgeError(code: "not_held", message: "submission \(id) is not held") }
    }
}
