import Dispatch
import Foundation
import PodiumDomain
import PodiumMetrics
import PodiumTables

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
        _ name: String, services: Services, jobs: Int, dryRun: Bool,
        progress: @escaping @Sendable (Int, Int, Double) -> Void
    ) throws(JudgeError) -> Summary {
        let challenge = try services.open(name)
        do {
            let summary = try perform(challenge, services: services, jobs: jobs, dryRun: dryRun, progress: progress)
            if !dryRun {
                AuditTrail.record(
                    .rescore, challenge: challenge.id, subject: "v\(summary.version)",
                    detail: "re-scored \(summary.pending) submissions on version \(summary.version): "
                        + "\(summary.rescored) scored, \(summary.rejected) rejected, \(summary.failed) failed, "
                        + "\(summary.moves.count) teams moved on the public board",
                    services: services)
            }
            return summary
        } catch {
            if !dryRun {
                AuditTrail.record(
                    .rescore, challenge: challenge.id, subject: "v\(challenge.version.number)",
                    detail: "re-score on version \(challenge.version.number) failed: \(error.code.rawValue): "
                        + error.message, services: services)
            }
            throw error
        }
    }

    static func perform(
        _ challenge: PublishedChallenge, services: Services, jobs: Int, dryRun: Bool,
        progress: @escaping @Sendable (Int, Int, Double) -> Void
    ) throws(JudgeError) -> Summary {
        let version = challenge.version.number
        let before = try BoardData.load(challenge, full: true)
        let todo = before.submissions.filter { before.isPending($0, version: version) }
        var summary = Summary(version: version, pending: todo.count, dryRun: dryRun)
        let start = Date()
        let config = challenge.config
        // A lost commit here is simply redone by the next run.
        if !dryRun { try challenge.records.relaxDurability() }
        // N evaluations at once keep the cores busy: each then runs on one core; all of them
        // share one parsed solution.
        let workers = max(1, min(max(1, jobs), todo.count))
        var local = services
        local.parallelism = workers > 1 ? .serial : services.parallelism
        local.solutions = services.solutions ?? SolutionCache()
        let evaluation = Evaluation(local)
        let auditing = local
        struct State {
            var next = 0
            var done = 0
            var results: [ScoreRecord] = []
            var firstError: JudgeError? = nil
            var rescored = 0
            var rejected = 0
            var failed = 0
        }
        let state = Locked(State())
        if let queue = services.queue, !dryRun {
            // Several machines: one item per submission in the shared queue; this process takes
            // items too (`jobs` at once, 0: only watch) and reports what every machine sees.
            let shared = try SharedRescore.run(
                challenge.id, version: version, todo: todo.map(\.id), queue: queue, services: local, jobs: jobs
            ) { done, total in progress(done, total, Date().timeIntervalSince(start)) }
            state.withLock { s in
                s.rescored = shared.scored
                s.rejected = shared.rejected
                s.failed = shared.failed
            }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let i: Int? = state.withLock { s in
                        guard s.next < todo.count, s.firstError == nil else { return nil }
                        s.next += 1
                        return s.next - 1
                    }
                    guard let i else { return }
                    let result = evaluation.run(
                        challenge, version: version, config: config, submission: todo[i], verify: true)
                    do throws(JudgeError) {
                        if !dryRun {
                            try challenge.records.record(result.record)
                            Evaluation.auditHold(challenge, todo[i], result, auditing)
                        }
                    } catch {
                        state.withLock { $0.firstError = error }
                        return
                    }
                    let n = state.withLock { s in
                        s.results.append(result.record.score)
                        switch result.record.score.status {
                        case .scored: s.rescored += 1
                        case .rejected: s.rejected += 1
                        default: s.failed += 1
                        }
                        s.done += 1
                        return s.done
                    }
                    progress(n, todo.count, Date().timeIntervalSince(start))
                }
            }
        }
        let final = state.withLock { $0 }
        let firstError = final.firstError
        let results = final.results
        let counts = (rescored: final.rescored, rejected: final.rejected, failed: final.failed)
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
        let old = Boards.build(
            .public, data: before, config: previousConfig, version: max(1, version - 1), challenge: challenge.id)
        let new = Boards.build(.public, data: after, config: config, version: version, challenge: challenge.id)
        var teams = Set(old.entries.map(\.team))
        teams.formUnion(new.entries.map(\.team))
        summary.moves = teams.map { (team: $0, before: old.rank(of: $0), after: new.rank(of: $0)) }
            .filter { $0.before != $0.after }
            .sorted { abs(($0.before ?? 0) - ($0.after ?? 0)) > abs(($1.before ?? 0) - ($1.after ?? 0)) }
        return summary
    }
}
