import Dispatch
import Foundation
import Intake
import Metrics
import Store

/// `podium rescore`: evaluates every stored submission against the current version.
///
/// Each new score is committed in its own transaction with the version that produced it, and
/// older scores stay; submissions already scored for the version are skipped, so a run that was
/// killed resumes where it stopped and ends as an uninterrupted run would.
public enum Rescorer {
    public struct Summary: Sendable {
        public var version: Int
        public var pending: Int
        public var rescored = 0
        public var rejected = 0
        public var failed = 0
        /// Public-board moves, largest first: team, rank before, rank after (nil = off the board).
        public var moves: [(team: String, before: Int?, after: Int?)] = []
        public var dryRun: Bool
        public var seconds = 0.0
    }

    public static func rescore(
        _ name: String, home: Home, jobs: Int, dryRun: Bool, progress: @escaping @Sendable (Int, Int, Double) -> Void
    ) throws(JudgeError) -> Summary {
        let challenge = try home.open(name)
        let version = challenge.version.number
        let before = try BoardData.load(challenge, full: true)
        let todo = before.submissions.filter { before.isPending($0, version: version) }
        var summary = Summary(version: version, pending: todo.count, dryRun: dryRun)
        let start = Date()
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) var done = 0
        nonisolated(unsafe) var results: [ScoreRecord] = []
        nonisolated(unsafe) var firstError: JudgeError? = nil
        nonisolated(unsafe) var counts = (rescored: 0, rejected: 0, failed: 0)
        let config = challenge.config
        // A lost commit here is simply redone by the next run.
        if !dryRun { try storeCall { () throws(StoreError) in try challenge.database.relaxDurability() } }
        SolutionCache.shared.enable()
        // N evaluations at once keep the cores busy: each then runs on one core.
        let workers = max(1, min(jobs, todo.count))
        ParallelWork.serial = workers > 1
        defer {
            ParallelWork.serial = false
        }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                lock.lock()
                let i = next
                next += 1
                let stop = firstError != nil
                lock.unlock()
                guard i < todo.count, !stop else { return }
                let result = Evaluation.run(challenge, version: version, config: config, submission: todo[i], verify: true)
                do throws(JudgeError) {
                    if !dryRun { try Evaluation.record(result, in: challenge.database) }
                } catch {
                    lock.lock()
                    firstError = error
                    lock.unlock()
                    return
                }
                lock.lock()
                results.append(result.score)
                switch result.score.status {
                case "scored": counts.rescored += 1
                case "rejected": counts.rejected += 1
                default: counts.failed += 1
                }
                done += 1
                let n = done
                lock.unlock()
                progress(n, todo.count, Date().timeIntervalSince(start))
            }
        }
        if let firstError { throw firstError }
        summary.rescored = counts.rescored
        summary.rejected = counts.rejected
        summary.failed = counts.failed
        summary.seconds = Date().timeIntervalSince(start)

        // Moves on the public board: as of the previous version against as of this one.
        var after = before
        if dryRun {
            for s in results { after.set(s) }
        } else {
            after = try BoardData.load(challenge)
        }
        let previousConfig = version > 1 ? (try? challenge.config(of: version - 1)) ?? config : config
        let old = Boards.build(.public, data: before, config: previousConfig, version: max(1, version - 1), challenge: challenge.id)
        let new = Boards.build(.public, data: after, config: config, version: version, challenge: challenge.id)
        var teams = Set(old.entries.map(\.team))
        teams.formUnion(new.entries.map(\.team))
        summary.moves = teams.map { (team: $0, before: old.rank(of: $0), after: new.rank(of: $0)) }
            .filter { $0.before != $0.after }
            .sorted { abs(($0.before ?? 0) - ($0.after ?? 0)) > abs(($1.before ?? 0) - ($1.after ?? 0)) }
        return summary
    }
}

extension Rescorer.Summary {
    public func text() -> String {
        var lines = [
            "\(dryRun ? "dry run: would re-score" : "re-scored") \(pending) submission\(pending == 1 ? "" : "s") against version \(version) in \(String(format: "%.1f", seconds)) s: \(rescored) scored, \(rejected) rejected, \(failed) failed",
            "\(moves.count) team\(moves.count == 1 ? "" : "s") changed rank on the public board",
        ]
        for m in moves.prefix(10) {
            lines.append("  \(m.team): \(m.before.map(String.init) ?? "—") → \(m.after.map(String.init) ?? "—")")
        }
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .object([
            ("version", .integer(version)), ("dry_run", .bool(dryRun)), ("pending", .integer(pending)),
            ("scored", .integer(rescored)), ("rejected", .integer(rejected)), ("failed", .integer(failed)),
            ("seconds", .number(seconds)),
            ("moves", .array(moves.map { m in
                .object([("team", .string(m.team)), ("before", m.before.map(JSONValue.integer) ?? .null), ("after", m.after.map(JSONValue.integer) ?? .null)])
            })),
        ])
    }
}
