import Foundation
import PodiumChecks
import PodiumDomain
import PodiumParallel
import PodiumTables

/// `podium submit`: checks the deadlines and limits, stores the file by content, evaluates
/// it, records the result, and says what a student may see.
public enum Submitter {
    public struct Receipt: Sendable {
        public var submission: SubmissionRecord
        public var report: ScoreReport?
        public var error: JudgeError?
        public var rankBefore: Int?
        public var rankAfter: Int?
        public var teamCount: Int
        /// Whether private scores may be shown (after `closes`).
        public var revealPrivate: Bool
        /// What the student may see of the public scores (the Ladder's, before the close).
        public var visibility: ScoreVisibility
        /// The Ladder's answer to this submission, under `display: ladder`.
        public var shown: Double? = nil
        /// Scores on the board that wait for a re-score on the current version.
        public var pending = 0
        /// What the team has left after this submission, and when the day's count resets.
        public var remaining: Remaining? = nil
    }

    /// A team's submissions left today (and in all, when the challenge caps them), and the
    /// next 00:00 UTC, when the per-day count starts again.
    public struct Remaining: Sendable, Equatable {
        public var today: Int
        public var perDay: Int
        public var total: Int?
        public var dayResetsAt: Date
    }

    /// What a team has left at `now`.
    static func remaining(_ challenge: PublishedChallenge, team: String, at now: Date) throws(JudgeError) -> Remaining {
        let limits = challenge.config.submissions
        let counts = try challenge.records.counts(team: team, day: Instants.utcDay(now))
        return Remaining(
            today: max(0, limits.perDay - counts.today), perDay: limits.perDay,
            total: limits.total.map { max(0, $0 - counts.overall) }, dayResetsAt: Catalog.nextUTCMidnight(after: now))
    }

    /// What `accept` decided: the stored row (`queued`, or `rejected` by the rules) and the
    /// bytes it stored, which the local evaluation may score without reading them again.
    public struct Acceptance: Sendable {
        public var challenge: PublishedChallenge
        public var submission: SubmissionRecord
        /// The bytes, when this process read them (the local command line scores them in memory).
        public var bytes: InputBytes?
        /// The team's public rank before this submission.
        public var rankBefore: Int?
    }

    /// Accepts a submission: the name, the opening date, the limits (a domain rule applied in
    /// the store's transaction), the file stored by content (fsynced) before the row that names
    /// it; a refusal is recorded too (never evaluated, never counted). The file's own problems
    /// are found by evaluation.
    public static func accept(
        _ name: String, file: String, as raw: String, message: String?, services: Services, fileName: String? = nil
    ) throws(JudgeError) -> Acceptance {
        let participant = try participantName(raw)
        let challenge = try services.open(name)
        let now = services.clock.now()
        let team = try teamOf(participant, challenge)
        // Copied into the store by content while hashed (streaming: never the whole file in
        // memory), fsynced and renamed into place before the row that names it.
        let digest = try services.blobs.store(file: file, challenge: challenge.id)
        return try record(
            challenge, participant: participant, team: team, digest: digest,
            fileName: fileName ?? (file as NSString).lastPathComponent,
            message: message, at: now, bytes: nil, services: services)
    }

    static func record(
        _ challenge: PublishedChallenge, participant: String, team: String, digest: String, fileName: String,
        message: String?, at now: Date, bytes: InputBytes?, services: Services
    ) throws(JudgeError) -> Acceptance {
        // The rank before, for the local receipt (a server's reader computes it when asked).
        var rankBefore: Int? = nil
        if bytes != nil {
            let before = try BoardData.load(challenge)
            rankBefore = Boards.build(
                .public, data: before, config: challenge.config, version: challenge.version.number,
                challenge: challenge.id
            ).rank(of: team)
            Trace.mark("read, board before")
        }
        let new = NewSubmission(
            participant: participant, team: team, fileSha256: digest, fileName: fileName, message: message,
            submittedAt: Instants.timestamp(now), day: Instants.utcDay(now), late: challenge.closed(at: now),
            version: challenge.version.number)
        let config = challenge.config
        let submission: SubmissionRecord
        if let refusal = Admission.opening(config, at: now) {
            submission = try challenge.records.insertRefused(new, refusal)
        } else {
            submission = try challenge.records.accept(new) { counts in
                Admission.limits(config.submissions, team: team, day: new.day, counts: counts)
            }
        }
        Trace.mark("accepted")
        if submission.status == .rejected, let code = submission.errorCode {
            AuditTrail.record(
                .refused, challenge: challenge.id, subject: "#\(submission.id)",
                detail: "\(code.rawValue): \(submission.errorMessage ?? "") (file \(fileName))", services: services,
                actor: Actor(name: participant, via: services.actor.via))
        }
        return Acceptance(challenge: challenge, submission: submission, bytes: bytes, rankBefore: rankBefore)
    }

    /// Evaluates an accepted submission and commits its score: claims it (`queued → running`),
    /// scores it (the bytes when the caller holds them, else the stored file), adds probing,
    /// records the score, the status and a hold in one transaction. Returns the new row; a
    /// submission someone else claimed, or one already final, is returned as it is.
    public static func evaluate(
        _ job: EvaluationJob, services: Services, lease: Lease = .local, bytes: InputBytes? = nil,
        prescored: Swift.Result<ScoreReport, JudgeError>? = nil
    ) throws(JudgeError) -> (SubmissionRecord, Evaluation.Result?) {
        let challenge = try services.open(job.challenge)
        guard let submission = try challenge.records.submission(job.submission) else {
            throw JudgeError(code: .unknownSubmission, message: "there is no submission \(job.submission)")
        }
        // Leases run on real time, never on a test's stopped clock: they measure a worker's life.
        let now = Date().timeIntervalSince1970
        guard try challenge.records.claim(submission.id, lease: lease, now: now) else { return (submission, nil) }
        // The version current at acceptance: its configuration, its solution.
        let config = try challenge.config(of: submission.version)
        let result = Evaluation(services).run(
            challenge, version: submission.version, config: config, submission: submission, bytes: bytes,
            prescored: prescored)
        var record = result.record
        record.leaseOwner = lease.owner
        let committed = try challenge.records.record(record)
        Trace.mark("recorded")
        if committed { Evaluation.auditHold(challenge, submission, result, services) }
        guard let stored = try challenge.records.submission(submission.id) else {
            throw JudgeError(code: .unknownSubmission, message: "there is no submission \(submission.id)")
        }
        return (stored, committed ? result : nil)
    }

    /// `podium submit` on one machine: accept, then evaluate at once through an in-process
    /// queue, while the file's bytes are scored beside the acceptance (the result is used only
    /// when the submission is accepted); then what a student may see.
    public static func submit(
        _ name: String, file: String, as raw: String, message: String?, services: Services
    ) async throws(JudgeError) -> Receipt {
        Trace.start()
        let participant = try participantName(raw)
        let now = services.clock.now()
        let (challenge, team, bytes) = try await offload { () throws(JudgeError) in
            let challenge = try services.open(name)
            let team = try teamOf(participant, challenge)
            return (challenge, team, try readSubmission(file))
        }
        // Store the file (fsynced, renamed into place) while scoring it; the row that names the
        // file commits only after both.
        let blobs = services.blobs
        let folder = challenge.folder(challenge.version.number)
        let config = challenge.config
        let evaluator = Evaluator(services)
        let notOpen = Admission.opening(config, at: now) != nil
        async let stored = offloadResult { () throws(JudgeError) in
            try blobs.store(UnsafeRawBufferPointer(bytes.bytes), challenge: challenge.id)
        }
        async let scored: Swift.Result<ScoreReport, JudgeError>? =
            notOpen
            ? nil
            : offloadResult { () throws(JudgeError) in
                try evaluator.score(folder: folder, config: config, submission: file, bytes: bytes)
            }
        let digest = try await stored.get()
        let prescored = await scored
        Trace.mark("stored and evaluated")
        let acceptance = try await offload { () throws(JudgeError) in
            try record(
                challenge, participant: participant, team: team, digest: digest,
                fileName: (file as NSString).lastPathComponent, message: message, at: now, bytes: bytes,
                services: services)
        }
        var submission = acceptance.submission
        var result: Evaluation.Result? = nil
        if submission.status == .queued {
            let queue = InProcessQueue()
            await queue.enqueue(EvaluationJob(challenge: challenge.id, submission: submission.id))
            await queue.close()
            while let job = await queue.next() {
                (submission, result) = try await offload { () throws(JudgeError) in
                    try evaluate(job, services: services, bytes: bytes, prescored: prescored)
                }
            }
        }
        let evaluated = submission
        let outcome = result
        return try await offload { () throws(JudgeError) in
            try receipt(acceptance, submission: evaluated, result: outcome, at: now)
        }
    }

    /// A private copy of a submitted file's bytes (what is stored is exactly what is scored).
    static func readSubmission(_ file: String) throws(JudgeError) -> InputBytes {
        do { return try InputBytes(reading: file, nonRegular: .notASubmission) } catch { throw JudgeError(error) }
    }

    /// What the student sees after an evaluation (or a refusal at acceptance).
    static func receipt(
        _ acceptance: Acceptance, submission: SubmissionRecord, result: Evaluation.Result?, at now: Date
    )
        throws(JudgeError) -> Receipt
    {
        let challenge = acceptance.challenge
        let config = challenge.config
        let version = submission.version
        let visibility = ScoreVisibility(config, closed: challenge.closed(at: now), audience: .student)
        let remaining = try remaining(challenge, team: submission.team, at: now)
        if Admission.isRefusal(submission.errorCode) {
            return Receipt(
                submission: submission, report: nil, error: submission.error, rankBefore: acceptance.rankBefore,
                rankAfter: acceptance.rankBefore, teamCount: 0, revealPrivate: false, visibility: visibility,
                remaining: remaining)
        }
        let after = try BoardData.load(challenge)
        let board = Boards.build(.public, data: after, config: config, version: version, challenge: challenge.id)
        Trace.mark("board after")
        let ladder = config.leaderboard.display == "ladder"
        return Receipt(
            submission: submission, report: result?.report, error: result?.error, rankBefore: acceptance.rankBefore,
            rankAfter: board.rank(of: submission.team), teamCount: board.entries.count,
            revealPrivate: challenge.closed(at: now), visibility: visibility,
            shown: ladder
                ? Ladder.answers(after, config: config, version: version, teams: [submission.team])[submission.id]
                : nil,
            pending: board.pending, remaining: remaining)
    }

    /// `--as`: a name by DESIGN §7 (trimmed, lower-cased), else `invalid_name`; nothing at all is
    /// a usage error.
    public static func participantName(_ raw: String) throws(JudgeError) -> String {
        if let name = Names.canonical(raw) { return name }
        if Names.trimmed(raw).isEmpty { throw JudgeError(code: .usage, message: "a participant's name is needed") }
        throw JudgeError(code: .invalidName, message: Names.refusal(raw, what: "the participant's name"))
    }

    /// A participant's team in a challenge (the participant's own name without `teams.csv`).
    public static func team(of participant: String, in challenge: String, services: Services) throws(JudgeError)
        -> String
    {
        try teamOf(participantName(participant), services.open(challenge))
    }

    /// The participant's team from the published `teams.csv`, else the participant.
    static func teamOf(_ participant: String, _ challenge: PublishedChallenge) throws(JudgeError) -> String {
        let path = challenge.folder(challenge.version.number) + "/teams.csv"
        guard FileManager.default.fileExists(atPath: path) else { return participant }
        let bytes: InputBytes
        do { bytes = try InputBytes(mapping: path) } catch { throw JudgeError(error, file: "teams.csv") }
        return try Teams.read(bytes, strict: false).team(of: participant)
    }

    /// The team names of a challenge's current version (none without `teams.csv`).
    static func teamNames(_ challenge: PublishedChallenge) throws(JudgeError) -> Set<String> {
        let path = challenge.folder(challenge.version.number) + "/teams.csv"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let bytes: InputBytes
        do { bytes = try InputBytes(mapping: path) } catch { throw JudgeError(error, file: "teams.csv") }
        return try Teams.read(bytes, strict: false).names
    }
}
