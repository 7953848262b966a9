import Foundation

/// One line of a leaderboard.
public struct BoardEntry: Sendable {
    public var rank: Int
    public var team: String
    public var score: Double
    public var submissionId: Int64
    public var submittedAt: String
    /// Scored, on-time submissions of the team.
    public var entries: Int
    /// The 95% bootstrap interval of the score, when computed.
    public var interval: (low: Double, high: Double)? = nil
    /// True when the interval overlaps the one of the entry above: the two are statistically tied.
    public var tiedWithAbove = false
    /// The version the score was computed on: earlier than the board's while a re-score is due.
    public var scoredVersion = 0
}

/// A ranked leaderboard.
public struct Board: Sendable {
    public enum Kind: String, Sendable { case `public`, `private` }
    public var kind: Kind
    public var challenge: String
    public var metric: String
    public var higherIsBetter: Bool
    public var version: Int
    public var entries: [BoardEntry]
    /// The ladder step when the public board shows Ladder scores.
    public var ladderStep: Double? = nil
    /// Submissions not yet scored on `version` (after a re-publish, until `podium rescore`).
    public var pending = 0

    /// Rank of a team, if it is on the board.
    public func rank(of team: String) -> Int? { entries.first { $0.team == team }?.rank }
}

/// The submissions and their scores, as a board sees them.
public struct BoardData: Sendable {
    public var submissions: [SubmissionRecord]
    /// Score rows by submission (one per version scored).
    public var scores: [Int64: [ScoreRecord]]

    public init(submissions: [SubmissionRecord], scores: [ScoreRecord]) {
        self.submissions = submissions
        var map: [Int64: [ScoreRecord]] = [:]
        map.reserveCapacity(submissions.count)
        for s in scores { map[s.submissionId, default: []].append(s) }
        self.scores = map
    }

    /// A submission's score row for exactly `version`.
    public func score(_ id: Int64, at version: Int) -> ScoreRecord? {
        scores[id]?.first { $0.version == version }
    }

    /// Adds or replaces a score row.
    public mutating func set(_ score: ScoreRecord) {
        var rows = scores[score.submissionId] ?? []
        rows.removeAll { $0.version == score.version }
        rows.append(score)
        scores[score.submissionId] = rows
    }

    /// Whether a submission still waits for its score on `version`: it was made by then, was
    /// evaluated (a refusal by a limit or the opening date never is), and has no row for it.
    /// `podium rescore` re-scores exactly these; boards and lists count them.
    public func isPending(_ s: SubmissionRecord, version: Int) -> Bool {
        s.version <= version && !(s.status == .rejected && Admission.isRefusal(s.errorCode))
            && score(s.id, at: version) == nil
    }

    /// How many submissions wait for their score on `version`.
    public func pending(version: Int) -> Int {
        submissions.reduce(0) { $0 + (isPending($1, version: version) ? 1 : 0) }
    }

    /// A submission's score as of `version`: its row for the newest version not after it.
    public func score(_ id: Int64, asOf version: Int) -> ScoreRecord? {
        guard let rows = scores[id] else { return nil }
        var best: ScoreRecord? = nil
        for row in rows where row.version <= version && row.version > (best?.version ?? 0) { best = row }
        return best
    }
}

/// Builds leaderboards: best score per team, ranked by the primary metric's direction, ties to
/// the earliest submission. Late submissions are never ranked.
public enum Boards {
    public static func build(
        _ kind: Board.Kind, data: BoardData, config: ChallengeConfig, version: Int, challenge: String
    ) -> Board {
        let higher = config.primaryMetric.higherIsBetter
        func better(_ a: Double, _ b: Double) -> Bool { higher ? a > b : a < b }
        // Scored, on-time submissions with their score as of `version`, in submission order.
        var byTeam: [String: [(SubmissionRecord, ScoreRecord)]] = [:]
        for s in data.submissions where !s.late && !(kind == .public && s.held) {
            guard let score = data.score(s.id, asOf: version), score.status == .scored else { continue }
            byTeam[s.team, default: []].append((s, score))
        }
        var entries: [BoardEntry] = []
        for (team, list) in byTeam {
            // Rows come in id order, which is nearly always time order: sort only when it is not.
            let inOrder = zip(list, list.dropFirst()).allSatisfy { $0.0.submittedAt <= $1.0.submittedAt }
            let ordered = inOrder ? list : list.sorted { ($0.0.submittedAt, $0.0.id) < ($1.0.submittedAt, $1.0.id) }
            switch kind {
            case .public:
                let ladder = config.leaderboard.display == "ladder" ? config.leaderboard.step : nil
                if let best = bestPublic(ordered, better: better, ladder: ladder) {
                    entries.append(
                        BoardEntry(
                            rank: 0, team: team, score: best.1, submissionId: best.0.id,
                            submittedAt: best.0.submittedAt, entries: ordered.count))
                }
            case .private:
                let chosen = finalSubmissions(ordered, final: config.submissions.final, better: better)
                var best: (SubmissionRecord, Double)? = nil
                for (s, score) in chosen {
                    guard let v = score.privatePrimary else { continue }
                    if best == nil || better(v, best!.1) { best = (s, v) }
                }
                if let best {
                    entries.append(
                        BoardEntry(
                            rank: 0, team: team, score: best.1, submissionId: best.0.id,
                            submittedAt: best.0.submittedAt, entries: ordered.count))
                }
            }
        }
        entries.sort { a, b in
            if a.score != b.score { return better(a.score, b.score) }
            return (a.submittedAt, a.submissionId) < (b.submittedAt, b.submissionId)
        }
        for i in entries.indices {
            entries[i].rank = i + 1
            entries[i].scoredVersion = data.score(entries[i].submissionId, asOf: version)?.version ?? version
        }
        var board = Board(
            kind: kind, challenge: challenge, metric: config.primary, higherIsBetter: higher, version: version,
            entries: entries)
        board.pending = data.pending(version: version)
        if kind == .public && config.leaderboard.display == "ladder" { board.ladderStep = config.leaderboard.step }
        return board
    }

    /// The best public score of a team. With a Ladder step (Blum & Hardt 2015) the shown score
    /// changes only when a new submission beats it by more than the step, and is then the new
    /// score rounded to the step (`Ladder.next`, the rule every student-facing output uses).
    static func bestPublic(
        _ ordered: [(SubmissionRecord, ScoreRecord)], better: (Double, Double) -> Bool, ladder: Double?
    ) -> (SubmissionRecord, Double)? {
        var shown: (SubmissionRecord, Double)? = nil
        for (s, score) in ordered {
            guard let v = score.publicPrimary else { continue }
            if let step = ladder {
                let next = Ladder.next(shown?.1, v, step: step, higherIsBetter: better(1, 0))
                if shown == nil || next != shown!.1 { shown = (s, next) }
            } else if shown == nil || better(v, shown!.1) {
                shown = (s, v)
            }
        }
        return shown
    }

    /// The submissions that count for the private board: those the team selected, or else its
    /// best `final` by public score (ties to the earliest), as on Kaggle.
    static func finalSubmissions(
        _ ordered: [(SubmissionRecord, ScoreRecord)], final: Int, better: (Double, Double) -> Bool
    ) -> [(SubmissionRecord, ScoreRecord)] {
        let selected = ordered.filter { $0.0.selected }
        if !selected.isEmpty { return selected }
        let withPublic = ordered.filter { $0.1.publicPrimary != nil }
        let ranked = withPublic.enumerated().sorted { a, b in
            let x = a.element.1.publicPrimary!
            let y = b.element.1.publicPrimary!
            if x != y { return better(x, y) }
            return a.offset < b.offset
        }
        return ranked.prefix(final).map(\.element)
    }
}

/// What the HTML page charts: each team's best public score over time, and after the close
/// how public ranks moved on the private board.
public struct BoardHistory: Sendable {
    /// (team, time, best public score so far) in time order.
    public var progress: [(team: String, time: Date, best: Double)]
    /// (team, public score, private score) of each team's board submission.
    public var shakeUp: [(team: String, publicScore: Double, privateScore: Double)]

    public init(
        progress: [(team: String, time: Date, best: Double)],
        shakeUp: [(team: String, publicScore: Double, privateScore: Double)]
    ) {
        self.progress = progress
        self.shakeUp = shakeUp
    }
}
