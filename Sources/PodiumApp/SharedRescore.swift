import Dispatch
import Foundation
import PodiumDomain

/// A re-score on the shared queue: one item per pending submission, taken by every worker of
/// the course (and by `jobs` loops of this process); returns when every item is done, with the
/// progress as the store counts it (so every machine reports the same).
enum SharedRescore {
    static func run(
        _ challenge: String, version: Int, todo: [Int64], queue: any SharedQueue, services: Services, jobs: Int,
        progress: @escaping @Sendable (Int, Int) -> Void
    ) throws(JudgeError) -> RescoreProgress {
        let now = Date().timeIntervalSince1970
        let job = try queue.enqueueRescore(
            challenge: challenge, version: version, submissions: todo, by: "rescore-\(getpid())", now: now)
        let owner = "rescore-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let finished = Locked(false)
        let group = DispatchGroup()
        for k in 0..<max(0, jobs) {
            DispatchQueue.global().async(group: group) {
                take(
                    queue: queue, services: services, lease: Lease(owner: "\(owner)-j\(k)", seconds: 60),
                    until: finished)
            }
        }
        defer {
            finished.withLock { $0 = true }
            group.wait()
        }
        var failures = 0
        var reported = -1
        while true {
            do throws(JudgeError) {
                guard let state = try queue.rescoreProgress(job) else {
                    throw JudgeError.store("database_error", "the re-score job \(job) vanished from the store")
                }
                failures = 0
                if state.done != reported {
                    reported = state.done
                    progress(state.done, state.total)
                }
                if state.finished { return state }
            } catch {
                // The store is away (a restart): wait for it, up to a minute.
                failures += 1
                if failures > 120 { throw error }
            }
            usleep(500_000)
        }
    }

    /// One local loop: claim an item, evaluate it (its lease renewed meanwhile), finish it.
    static func take(queue: any SharedQueue, services: Services, lease: Lease, until finished: Locked<Bool>) {
        while !finished.withLock({ $0 }) {
            let now = Date().timeIntervalSince1970
            guard let item = try? queue.claimRescoreItem(lease: lease, now: now) else {
                usleep(200_000)
                continue
            }
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + lease.seconds / 3, repeating: lease.seconds / 3)
            timer.setEventHandler {
                _ = try? queue.renewRescoreItem(item, lease: lease, now: Date().timeIntervalSince1970)
            }
            timer.resume()
            let status = try? ClaimedEvaluation.rescore(item, services: services)
            timer.cancel()
            _ = try? queue.finishRescoreItem(
                item, lease: lease, outcome: status,
                retryAfter: status == nil ? Backoff.delay(attempt: item.attempts) : nil,
                now: Date().timeIntervalSince1970)
        }
    }
}
