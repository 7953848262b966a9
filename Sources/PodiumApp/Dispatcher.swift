import Foundation
import PodiumDomain

/// The server's queue of evaluations. The store is the truth (a submission is `queued` in its
/// challenge's records before the client hears `202`); the dispatcher holds what it read from
/// there and what was accepted since, and hands jobs to workers one team at a time in turn, so
/// one participant's ten bundles never starve the class: the next job always goes to the team
/// served longest ago (never-served teams first, then the oldest submission).
public actor Dispatcher {
    struct Item: Equatable {
        var job: EvaluationJob
        var team: String
        var submittedAt: String
        var key: String { job.challenge + "/" + team }
    }

    private var queued: [Item] = []
    private var inFlight: [EvaluationJob: String] = [:]
    /// The tick at which each team (challenge/team) was last served.
    private var lastServed: [String: UInt64] = [:]
    private var tick: UInt64 = 0
    private var waiting: [CheckedContinuation<EvaluationJob?, Never>] = []
    private var stopped = false

    public init() {}

    /// Replaces what is queued by what the store says is queued (minus what workers hold): run
    /// at start, after expired leases are queued again, and now and then to pick up submissions
    /// accepted by another process (a local `podium submit` beside the server).
    public func reload(_ items: [(challenge: String, submission: QueuedSubmission)]) {
        let running = Set(inFlight.keys)
        queued = items.compactMap { challenge, s in
            let job = EvaluationJob(challenge: challenge, submission: s.id)
            return running.contains(job) ? nil : Item(job: job, team: s.team, submittedAt: s.submittedAt)
        }
        wake()
    }

    /// A submission just accepted.
    public func add(_ job: EvaluationJob, team: String, submittedAt: String) {
        guard inFlight[job] == nil, !queued.contains(where: { $0.job == job }) else { return }
        queued.append(Item(job: job, team: team, submittedAt: submittedAt))
        wake()
    }

    /// The next job for a worker; `nil` once stopped.
    public func next() async -> EvaluationJob? {
        if stopped { return nil }
        if let job = take() { return job }
        return await withCheckedContinuation { waiting.append($0) }
    }

    /// A worker finished (or gave up) a job.
    public func done(_ job: EvaluationJob) { inFlight[job] = nil }

    /// Stop handing out jobs (`SIGTERM`): workers finish what they hold; the rest stays queued
    /// in the store for the next start.
    public func stop() {
        stopped = true
        for continuation in waiting { continuation.resume(returning: nil) }
        waiting.removeAll()
    }

    /// Whether a job is still waiting or running here.
    public func isPending(_ job: EvaluationJob) -> Bool {
        inFlight[job] != nil || queued.contains(where: { $0.job == job })
    }

    /// The place of a queued job in the order workers will take them (1 = next); `nil` when it
    /// is not queued here. Round robin: every team with work gets one job per round, in the
    /// order of when each was last served.
    public func position(of job: EvaluationJob) -> Int? {
        guard let mine = queued.first(where: { $0.job == job }) else { return nil }
        let byTeam = Dictionary(grouping: queued, by: \.key)
        let myRound = byTeam[mine.key]!.firstIndex(where: { $0.job == job })!
        let order = teamOrder(byTeam)
        var ahead = 0
        for team in order {
            let count = byTeam[team]!.count
            if team == mine.key {
                ahead += myRound
                continue
            }
            // Teams before mine in the order are served in my round too; those after, only before it.
            let before = order.firstIndex(of: team)! < order.firstIndex(of: mine.key)!
            ahead += min(count, myRound + (before ? 1 : 0))
        }
        return ahead + 1
    }

    /// The number of queued jobs and of jobs being evaluated.
    public func depth() -> (queued: Int, running: Int) { (queued.count, inFlight.count) }

    // MARK: choosing

    private func take() -> EvaluationJob? {
        guard !queued.isEmpty else { return nil }
        let byTeam = Dictionary(grouping: queued, by: \.key)
        // A team already being evaluated waits while another team has work.
        let busy = Set(inFlight.values)
        let order = teamOrder(byTeam)
        guard let team = order.first(where: { !busy.contains($0) }) ?? order.first,
            let index = queued.firstIndex(where: { $0.key == team })
        else { return nil }
        let item = queued.remove(at: index)
        tick += 1
        lastServed[team] = tick
        inFlight[item.job] = team
        return item.job
    }

    /// Teams with queued work, the one served longest ago first (then the oldest submission).
    private func teamOrder(_ byTeam: [String: [Item]]) -> [String] {
        byTeam.keys.sorted { a, b in
            let (x, y) = (lastServed[a] ?? 0, lastServed[b] ?? 0)
            if x != y { return x < y }
            let (p, q) = (byTeam[a]![0], byTeam[b]![0])
            return (p.submittedAt, p.job.challenge, p.job.submission) < (
                q.submittedAt, q.job.challenge, q.job.submission
            )
        }
    }

    private func wake() {
        while !waiting.isEmpty, let job = take() {
            waiting.removeFirst().resume(returning: job)
        }
    }
}
