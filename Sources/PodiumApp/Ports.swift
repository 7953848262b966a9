import Foundation
import PodiumChecks
import PodiumDomain
import SandboxProtocol

// The ports: what the use cases need from the outside, as protocols. SQLite (GRDB) and the
// home folder implement them today; a PostgreSQL store drops in beside them without touching
// a use case. Every method throws `JudgeError` with a code, never a store's own error type.

/// Every challenge the store holds, each opened by id.
public protocol ChallengeRepository: Sendable {
    /// A published challenge's records; `nil` when no challenge has this id.
    func records(_ challenge: String) throws(JudgeError) -> (any ChallengeRecords)?
    /// The records of a challenge being published, created when missing.
    func create(_ challenge: String) throws(JudgeError) -> any ChallengeRecords
    /// The ids of the challenges, in order.
    func challengeIds() throws(JudgeError) -> [String]
    /// Runs `body` while no other publish of the challenge runs, waiting up to `wait` seconds
    /// for one that does (then `busy`).
    func whilePublishing<T>(_ challenge: String, wait: Double, _ body: () throws(JudgeError) -> T) throws(JudgeError)
        -> T
}

/// One challenge's versions, submissions and scores, with intent-named operations.
public protocol ChallengeRecords: Sendable {
    func latestVersion() throws(JudgeError) -> VersionRecord?
    func versions() throws(JudgeError) -> [VersionRecord]
    /// Records a version and the blocking findings it was published over (check → reason).
    func addVersion(_ version: VersionRecord, allowances: [CheckName: String]) throws(JudgeError)
    /// The blocking findings a version was published over: check → reason.
    func allowances(version: Int) throws(JudgeError) -> [CheckName: String]

    /// Accepts a submission in one transaction: counts the team's submissions, asks `admit`
    /// (a domain rule), and inserts the row as `queued`, or as `rejected` with the refusal.
    func accept(_ submission: NewSubmission, admit: (Admission.Counts) -> JudgeError?) throws(JudgeError)
        -> SubmissionRecord
    /// Inserts a submission refused before any count (`not_open`).
    func insertRefused(_ submission: NewSubmission, _ refusal: JudgeError) throws(JudgeError) -> SubmissionRecord
    /// Records an evaluation: the score row for its version, the submission's status and
    /// error and its probing fingerprint, and holds it when `hold` (never
    /// releasing one an instructor cleared), in one transaction. A leased evaluation writes
    /// only while its owner holds the lease (else nothing, and `false`).
    @discardableResult
    func record(_ evaluation: EvaluationRecord) throws(JudgeError) -> Bool
    /// A team's counting submissions (queued, running or scored) on a UTC day and overall.
    func counts(team: String, day: String) throws(JudgeError) -> Admission.Counts
    /// Marks a queued submission (or a running one whose lease expired before `now`, seconds
    /// since 1970) `running` under `lease`; false when someone else holds it or it is final.
    func claim(_ id: Int64, lease: Lease, now: Double) throws(JudgeError) -> Bool
    /// Extends a held lease to `now + lease.seconds`; false when the lease was lost.
    func renew(_ id: Int64, lease: Lease, now: Double) throws(JudgeError) -> Bool
    /// Queues again every running submission leased by an owner whose name starts with
    /// `ownerPrefix` (a server restarting after its predecessor died); returns their ids. With
    /// `refund`, the claim is not counted against the submission (a server stopping on purpose).
    func releaseLeases(ownerPrefix: String, refund: Bool) throws(JudgeError) -> [Int64]
    /// Queues again every running submission whose lease expired before `now`; returns their ids.
    func requeueExpired(now: Double) throws(JudgeError) -> [Int64]
    /// Queued submissions, oldest first (what a scheduler reads).
    func queued() throws(JudgeError) -> [QueuedSubmission]
    /// Running submissions with their leases.
    func running() throws(JudgeError) -> [RunningSubmission]
    /// The stored report of a submission's score on a version.
    func report(submission: Int64, version: Int) throws(JudgeError) -> String?
    /// How many submissions have each status.
    func statusCounts() throws(JudgeError) -> [SubmissionStatus: Int]

    func submission(_ id: Int64) throws(JudgeError) -> SubmissionRecord?
    /// Submissions in id order (one team's, or all).
    func submissions(team: String?) throws(JudgeError) -> [SubmissionRecord]
    /// Only what a board reads of each submission (other text fields left empty).
    func boardSubmissions() throws(JudgeError) -> [SubmissionRecord]
    /// Every score row; without reports, the (large) report text is left out.
    func scores(withReports: Bool) throws(JudgeError) -> [ScoreRecord]
    /// Queued (or left running by a process that died) submissions, oldest first.
    func unfinished() throws(JudgeError) -> [SubmissionRecord]
    /// The fingerprints of a team's `limit` most recent scored submissions before `before`.
    func probes(team: String, before: Int64?, limit: Int) throws(JudgeError) -> [[UInt8]]
    /// Cached bootstrap intervals of the private split: submission → (version, low, high).
    func intervals() throws(JudgeError) -> [Int64: [StoredInterval]]
    /// Caches a submission's interval on a version.
    func saveInterval(_ submission: Int64, _ interval: StoredInterval) throws(JudgeError)

    /// Marks exactly `ids` as the team's final selection.
    func select(team: String, ids: [Int64]) throws(JudgeError)
    /// Clears a held submission with the instructor's reason; false when it was not held.
    func clear(_ id: Int64, reason: String) throws(JudgeError) -> Bool
    /// Trades durability of the last commits on power loss for speed (bulk work that is redone).
    func relaxDurability() throws(JudgeError)
}

/// What one evaluation writes.
public struct EvaluationRecord: Sendable {
    public var score: ScoreRecord
    public var error: JudgeError?
    public var probe: [UInt8]?
    public var hold: Bool
    /// The worker whose lease must still hold for this to commit (`nil`: no lease, a re-score).
    public var leaseOwner: String? = nil

    public init(score: ScoreRecord, error: JudgeError?, probe: [UInt8]?, hold: Bool) {
        self.score = score
        self.error = error
        self.probe = probe
        self.hold = hold
    }
}

/// A worker's claim on a submission: who, and for how long each claim or renewal lasts.
public struct Lease: Sendable, Equatable {
    public var owner: String
    public var seconds: Double

    public init(owner: String, seconds: Double) {
        self.owner = owner
        self.seconds = seconds
    }
}

/// A submission waiting for a worker.
public struct QueuedSubmission: Sendable, Equatable {
    public var id: Int64
    public var participant: String
    public var team: String
    public var submittedAt: String

    public init(id: Int64, participant: String, team: String, submittedAt: String) {
        self.id = id
        self.participant = participant
        self.team = team
        self.submittedAt = submittedAt
    }
}

/// A submission being evaluated: by whom, until when its lease holds, how many claims it took.
public struct RunningSubmission: Sendable, Equatable {
    public var id: Int64
    public var participant: String
    public var owner: String?
    public var leaseUntil: Double?
    public var attempts: Int

    public init(id: Int64, participant: String, owner: String?, leaseUntil: Double?, attempts: Int) {
        self.id = id
        self.participant = participant
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.attempts = attempts
    }
}

/// A cached 95% bootstrap interval of a submission's private score on a version (`nil` ends
/// when the score has none).
public struct StoredInterval: Sendable, Equatable {
    public var version: Int
    public var low: Double?
    public var high: Double?

    public init(version: Int, low: Double?, high: Double?) {
        self.version = version
        self.low = low
        self.high = high
    }
}

/// Submitted files by content, and the immutable snapshots of published versions.
public protocol BlobStore: Sendable {
    /// Stores bytes durably under their SHA-256 (hex), which it returns.
    func store(_ bytes: UnsafeRawBufferPointer, challenge: String) throws(JudgeError) -> String
    /// Copies a local file into the store while hashing it (streaming), durably; returns its SHA-256.
    func store(file path: String, challenge: String) throws(JudgeError) -> String
    /// A local path holding a stored file.
    func path(of sha256: String, challenge: String) -> String
    /// Whether the stored file exists and still hashes to its name: `nil` when it is missing.
    func verify(_ sha256: String, challenge: String) -> Bool?
    /// The SHA-256 of a local file.
    func hash(file path: String) throws(JudgeError) -> String
    /// The SHA-256 of bytes in memory.
    func hash(bytes: UnsafeRawBufferPointer) -> String
    /// The local folder of a published version's files.
    func versionFolder(_ challenge: String, _ version: Int) -> String
    /// Copies `files` of `folder` into a new version's snapshot, durably and atomically (a
    /// folder left by an interrupted publish is replaced).
    func snapshot(_ folder: String, files: [String], challenge: String, version: Int) throws(JudgeError)
}

/// Runs a model bundle's command in the sandbox.
public protocol SandboxRunner: Sendable {
    /// Runs `command` of the unpacked bundle at `bundle` on `input` with the runtime named
    /// `runtime` under `limits`, in the scratch folder `work`; returns the predictions' path and
    /// the run. A bundle that broke a limit throws its verdict's code (status `failed`); a broken
    /// sandbox or a runtime this machine lacks, `sandbox_error`.
    func run(
        command: [String], bundle: String, input: String, runtime: String, limits: ChallengeConfig.SandboxLimits,
        work: String
    ) throws(JudgeError) -> (predictions: String, run: SandboxRun)
}

/// The time, passed in (tests and `$PODIUM_NOW` set it).
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock stopped at one instant.
public struct FixedClock: WallClock {
    public let instant: Date
    public init(_ instant: Date) { self.instant = instant }
    public func now() -> Date { instant }
}

/// Evaluation jobs between accepting a submission and scoring it.
public protocol JobQueue: Sendable {
    func enqueue(_ job: EvaluationJob) async
    /// The next job, or `nil` once the queue is empty and closed.
    func next() async -> EvaluationJob?
}

/// Evaluate one submission of a challenge.
public struct EvaluationJob: Sendable, Hashable, Codable {
    public var challenge: String
    public var submission: Int64

    public init(challenge: String, submission: Int64) {
        self.challenge = challenge
        self.submission = submission
    }
}

/// People and their credentials, for a whole course (a home): accounts, one-time invite codes
/// and API tokens, both stored only as SHA-256 hashes.
public protocol AccountStore: Sendable {
    /// Creates an account with its invite (`already_exists` when the name is taken).
    func add(_ account: Account, invite: StoredSecret) throws(JudgeError)
    /// Creates the accounts whose names are free, each with its invite, in one transaction;
    /// returns the names it created (the others were present and are left as they are).
    func addAll(_ accounts: [(Account, StoredSecret)]) throws(JudgeError) -> [String]
    func account(named name: String) throws(JudgeError) -> Account?
    func accounts() throws(JudgeError) -> [Account]
    /// Disables an account and revokes its tokens and invites; its submissions stay.
    func disable(_ name: String, at time: String) throws(JudgeError) -> Bool
    /// A new invite for an existing account (a lost code), replacing the unused ones.
    func replaceInvite(of name: String, with invite: StoredSecret) throws(JudgeError)
    func addToken(of name: String, _ token: StoredSecret) throws(JudgeError)
    /// The enabled account a live token belongs to.
    func account(tokenSHA256: String, at time: String) throws(JudgeError) -> Account?
    /// Sets the password of the enabled account a live, unused, unexpired invite names, and uses
    /// the invite up, in one transaction; `nil` when the invite is not such a one.
    func redeem(inviteSHA256: String, passwordHash: String, at time: String) throws(JudgeError) -> Account?
    /// The stored password hash of an enabled account.
    func passwordHash(of name: String) throws(JudgeError) -> String?
    /// Records a failed login for a name (whether or not the account exists).
    func recordFailedLogin(_ name: String, at time: String) throws(JudgeError)
    /// Failed logins for a name since `time`.
    func failedLogins(_ name: String, since time: String) throws(JudgeError) -> Int
    /// An account's live tokens (never the token itself: an id made of its hash's first characters).
    func tokens(of name: String, at time: String) throws(JudgeError) -> [TokenRecord]
    /// Revokes the token with this SHA-256 (logout); false when it was not live.
    func revokeToken(sha256: String, at time: String) throws(JudgeError) -> Bool
    /// Revokes one of an account's tokens by its id (the account page); false when none matched.
    func revokeToken(of name: String, id: String, at time: String) throws(JudgeError) -> Bool
}

/// A live token as its owner sees it listed.
public struct TokenRecord: Sendable, Equatable, Encodable {
    /// The first characters of the token's SHA-256: enough to name it, useless to use it.
    public var id: String
    public var label: String?
    public var createdAt: String
    public var expiresAt: String?

    public static let idLength = 12

    public init(id: String, label: String?, createdAt: String, expiresAt: String?) {
        self.id = id
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id, label
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }
}

/// Hashes passwords for storage and checks them (bcrypt).
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> String
    func verify(_ password: String, against hash: String) -> Bool
}

/// A secret as stored: its SHA-256, when it was made and until when it is valid.
public struct StoredSecret: Sendable, Equatable {
    public var sha256: String
    public var createdAt: String
    public var expiresAt: String?
    /// What a token is for (shown on the account page).
    public var label: String?

    public init(sha256: String, createdAt: String, expiresAt: String?, label: String? = nil) {
        self.sha256 = sha256
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.label = label
    }
}

/// A person Podium knows: a canonical name (DESIGN §7), a role, a display name and an address.
public struct Account: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable { case student, instructor }
    public var name: String
    public var role: Role
    /// Free text up to 80 characters, always escaped where shown.
    public var display: String
    public var email: String?
    public var createdAt: String
    public var disabled: Bool

    public init(name: String, role: Role, display: String, email: String?, createdAt: String, disabled: Bool = false) {
        self.name = name
        self.role = role
        self.display = display
        self.email = email
        self.createdAt = createdAt
        self.disabled = disabled
    }

    enum CodingKeys: String, CodingKey {
        case name, role, display, email
        case createdAt = "created_at"
        case disabled
    }
}

extension Lease {
    /// Claims after which a submission is `failed` with `judge_error` instead of claimed again.
    public static let maximumAttempts = 3

    /// This process evaluating what it accepted (the command line): an hour, never renewed; a
    /// server finds the submission again after that if the process died.
    public static var local: Lease {
        Lease(owner: "local-\(ProcessInfo.processInfo.processIdentifier)", seconds: 3600)
    }
}
