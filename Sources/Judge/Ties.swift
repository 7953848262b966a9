import Foundation
import Metrics
import Store

/// Statistical ties on the private board: each entry's 95% bootstrap interval of the private
/// score (1,000 resamples of the private rows, the core's `--ci`), cached in the database per
/// submission and version; an entry whose interval overlaps the one above is marked tied.
enum Ties {
    static func mark(_ board: inout Board, challenge: PublishedChallenge, data: BoardData, config: ChallengeConfig) throws(JudgeError) {
        guard board.kind == .private, !board.entries.isEmpty else { return }
        var cached = try storeCall { () throws(StoreError) in try challenge.database.intervals(split: "private") }
        let submissions = try storeCall { () throws(StoreError) in try challenge.database.submissions() }
        let byId = Dictionary(uniqueKeysWithValues: submissions.map { ($0.id!, $0) })
        for i in board.entries.indices {
            let id = board.entries[i].submissionId
            guard let score = data.score(id, asOf: board.version), let submission = byId[id] else { continue }
            if let hit = cached[id]?.first(where: { $0.version == score.version }) {
                if let low = hit.low, let high = hit.high { board.entries[i].interval = (low, high) }
                continue
            }
            let versionConfig = score.version == challenge.version.number ? challenge.config : try challenge.config(of: score.version)
            var options = Scorer.Options()
            options.confidenceInterval = true
            let path = challenge.home.files(challenge.id).path(submission.fileSha256)
            let interval = (try? Scorer.score(
                folder: challenge.home.versionFolder(challenge.id, score.version), config: versionConfig, submission: path, options: options
            ))?.intervals?[.private] ?? nil
            try storeCall { () throws(StoreError) in
                try challenge.database.saveInterval(submissionId: id, version: score.version, split: "private", low: interval?.low, high: interval?.high)
            }
            cached[id, default: []].append((score.version, interval?.low, interval?.high))
            if let interval { board.entries[i].interval = (interval.low, interval.high) }
        }
        for i in board.entries.indices.dropFirst() {
            guard let mine = board.entries[i].interval, let above = board.entries[i - 1].interval else { continue }
            board.entries[i].tiedWithAbove = mine.high >= above.low && mine.low <= above.high
        }
    }
}
