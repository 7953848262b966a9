import Dispatch
import PodiumChecks
import PodiumDomain

/// The use cases as the adapters call them: `async`, each running its blocking work (SQLite
/// transactions, fsync, scoring on several cores, a sandboxed run) on Dispatch's threads, so
/// the caller's thread — Swift's cooperative pool, a server's event loop — is free while it
/// waits. Safe to call concurrently: nothing here or below changes process-wide state.
public struct UseCases: Sendable {
    public let services: Services

    public init(_ services: Services) { self.services = services }

    /// The use cases acting for `actor` (what the audit trail records as "who").
    public func acting(as actor: Actor) -> UseCases { UseCases(services.acting(as: actor)) }

    public func publish(_ folder: String, force: Bool, allow: [CheckName: String]) async throws(JudgeError)
        -> Publisher.Outcome
    {
        let services = services
        return try await offload { () throws(JudgeError) in
            try Publisher.publish(folder, services: services, force: force, allow: allow)
        }
    }

    /// Accepts a submission (the row is `queued`, or `rejected` by the rules) without
    /// evaluating it: a queue's worker calls `evaluate` later.
    public func accept(
        _ challenge: String, file: String, as participant: String, message: String?, fileName: String? = nil
    )
        async throws(JudgeError)
        -> SubmissionRecord
    {
        let services = services
        return try await offload { () throws(JudgeError) in
            try Submitter.accept(
                challenge, file: file, as: participant, message: message, services: services, fileName: fileName
            ).submission
        }
    }

    /// Evaluates an accepted submission (a job); returns its row after.
    public func evaluate(_ job: EvaluationJob) async throws(JudgeError) -> SubmissionRecord {
        let services = services
        return try await offload { () throws(JudgeError) in try Submitter.evaluate(job, services: services).0 }
    }

    /// Accepts and evaluates at once (the local command line), returning what a student sees.
    public func submit(_ challenge: String, file: String, as participant: String, message: String?)
        async throws(JudgeError)
        -> Submitter.Receipt
    {
        try await Submitter.submit(challenge, file: file, as: participant, message: message, services: services)
    }

    public func leaderboard(
        _ challenge: String, kind: Board.Kind, reveal: Bool, version: Int?, withHistory: Bool, ties: Bool
    ) async throws(JudgeError) -> (Board, BoardHistory?) {
        let services = services
        return try await offload { () throws(JudgeError) in
            try Views.leaderboard(
                challenge, services: services, kind: kind, reveal: reveal, version: version, withHistory: withHistory,
                ties: ties)
        }
    }

    /// The job behind ties: the intervals a private board's entries lack; returns how many it computed.
    public func computeIntervals(_ challenge: String, board: Board) async throws(JudgeError) -> Int {
        let services = services
        return try await offload { () throws(JudgeError) in try Intervals(services).compute(challenge, board: board) }
    }

    public func submissions(_ challenge: String, participant: String?) async throws(JudgeError) -> SubmissionListing {
        let services = services
        return try await offload { () throws(JudgeError) in
            try Views.submissions(challenge, services: services, participant: participant)
        }
    }

    public func select(_ challenge: String, ids: [Int64]) async throws(JudgeError) -> (team: String, ids: [Int64]) {
        let services = services
        return try await offload { () throws(JudgeError) in try Views.select(challenge, services: services, ids: ids) }
    }

    public func clear(_ challenge: String, id: Int64, reason: String) async throws(JudgeError) {
        let services = services
        try await offload { () throws(JudgeError) in
            try Views.clear(challenge, services: services, id: id, reason: reason)
        }
    }

    public func flaggedSubmissions(_ challenge: String) async throws(JudgeError) -> [FlaggedSubmission] {
        let services = services
        return try await offload { () throws(JudgeError) in try Views.flaggedSubmissions(challenge, services: services)
        }
    }

    public func rescore(
        _ challenge: String, jobs: Int, dryRun: Bool, progress: @escaping @Sendable (Int, Int, Double) -> Void
    ) async throws(JudgeError) -> Rescorer.Summary {
        let services = services
        return try await offload { () throws(JudgeError) in
            try Rescorer.rescore(challenge, services: services, jobs: jobs, dryRun: dryRun, progress: progress)
        }
    }
}

/// Runs blocking work on a Dispatch thread and resumes the caller with its result.
func offload<T: Sendable>(_ body: @escaping @Sendable () throws(JudgeError) -> T) async throws(JudgeError) -> T {
    try await offloadResult(body).get()
}

/// `offload` that hands back the outcome instead of throwing it (for work run side by side).
func offloadResult<T: Sendable>(_ body: @escaping @Sendable () throws(JudgeError) -> T) async -> Result<T, JudgeError> {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(returning: Result { () throws(JudgeError) -> T in try body() })
        }
    }
}

extension UseCases {
    /// Every published challenge; with a participant, what they have left.
    public func challenges(participant: String?) async throws(JudgeError) -> [ChallengeSummary] {
        let services = services
        return try await offload { () throws(JudgeError) in
            try Catalog.challenges(services: services, participant: participant)
        }
    }

    /// One challenge in full.
    public func info(_ challenge: String, participant: String?) async throws(JudgeError) -> ChallengeInfo {
        let services = services
        return try await offload { () throws(JudgeError) in
            try Catalog.info(challenge, services: services, participant: participant)
        }
    }
}

extension UseCases {
    /// The check report of a published challenge's current version, with the blocking findings
    /// it was published over and the flagged submissions (`GET /challenges/{id}/check`).
    public func check(_ challenge: String) async throws(JudgeError) -> CheckBody {
        let services = services
        return try await offload { () throws(JudgeError) in
            let opened = try services.open(challenge)
            let folder = opened.folder(opened.version.number)
            var report = try DatasetChecks.run(folder: folder, config: opened.config, parallelism: services.parallelism)
            report.allowed = try opened.allowances()
            return CheckBody(report, flagged: try Views.flaggedSubmissions(challenge, services: services))
        }
    }

    /// One submission as `viewer` may see it.
    public func submission(_ challenge: String, id: Int64, viewer: Viewer) async throws(JudgeError) -> SubmissionBody {
        let services = services
        return try await offload { () throws(JudgeError) in
            try Views.submission(challenge, id: id, services: services, viewer: viewer)
        }
    }

    /// Runs blocking work of an adapter (a store lookup) off the caller's thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Services) throws(JudgeError) -> T)
        async throws(JudgeError)
        -> T
    {
        let services = services
        return try await offload { () throws(JudgeError) in try body(services) }
    }
}
