import PodiumDomain

/// The bootstrap intervals behind statistical ties on the private board: a job that scores
/// each board entry's stored file once per version with `--ci` and caches the interval, and
/// the read that marks a board from the cache. The command line runs the job before it shows
/// a private board; a server runs it when a challenge closes or a re-score ends.
public struct Intervals: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    /// Computes and caches the intervals the entries of a challenge's private board lack.
    @discardableResult
    public func compute(_ name: String, board: Board) throws(JudgeError) -> Int {
        guard board.kind == .private, !board.entries.isEmpty else { return 0 }
        let challenge = try services.open(name)
        // Every private view asks: the answer is usually "all cached", known from the scores and
        // the cache alone, without reading every submission's row again.
        let cached = try challenge.records.intervals()
        let scores = BoardData(submissions: [], scores: try challenge.records.scores(withReports: false))
        let missing = board.entries.contains { entry in
            guard let score = scores.score(entry.submissionId, asOf: board.version) else { return false }
            return cached[entry.submissionId]?.contains(where: { $0.version == score.version }) != true
        }
        guard missing else { return 0 }
        return try compute(for: board, challenge: challenge, data: try BoardData.load(challenge, full: true))
    }

    /// Computes and caches the intervals the entries of a private board lack; returns how many.
    @discardableResult
    public func compute(for board: Board, challenge: PublishedChallenge, data: BoardData) throws(JudgeError) -> Int {
        guard board.kind == .private, !board.entries.isEmpty else { return 0 }
        let cached = try challenge.records.intervals()
        let byId = Dictionary(data.submissions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var computed = 0
        for entry in board.entries {
            guard let score = data.score(entry.submissionId, asOf: board.version),
                let submission = byId[entry.submissionId]
            else { continue }
            if cached[entry.submissionId]?.contains(where: { $0.version == score.version }) == true { continue }
            let config = try challenge.config(of: score.version)
            var options = Scorer.Options()
            options.confidenceInterval = true
            let path = services.blobs.path(of: submission.fileSha256, challenge: challenge.id)
            let report = try? Evaluator(services).score(
                folder: challenge.folder(score.version), config: config, submission: path, options: options)
            let interval = report?.intervals?[.private] ?? nil
            try challenge.records.saveInterval(
                entry.submissionId, StoredInterval(version: score.version, low: interval?.low, high: interval?.high))
            computed += 1
        }
        return computed
    }

    /// The cached intervals of a board's entries, on the version each score was computed on.
    public static func cached(for board: Board, challenge: PublishedChallenge, data: BoardData) throws(JudgeError)
        -> [Int64: (low: Double, high: Double)]
    {
        let cached = try challenge.records.intervals()
        var out: [Int64: (low: Double, high: Double)] = [:]
        for entry in board.entries {
            guard let score = data.score(entry.submissionId, asOf: board.version),
                let hit = cached[entry.submissionId]?.first(where: { $0.version == score.version }),
                let low = hit.low, let high = hit.high
            else { continue }
            out[entry.submissionId] = (low, high)
        }
        return out
    }
}
