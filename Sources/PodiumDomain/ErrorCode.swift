import PodiumTables
import SandboxProtocol

/// A refusal's or failure's stable code (DESIGN §3, §4): what the CLI maps to an exit status
/// and the server to an HTTP status, each in one place. Codes of a file's contents come from
/// `IntakeError.Code`, those of a bundle run from `Verdict`.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ code: IntakeError.Code) { rawValue = code.rawValue }
    public init(_ verdict: Verdict) { rawValue = verdict.rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // The caller's request.
    /// A request the command line or API should not have let through (a missing name or reason).
    public static let usage = ErrorCode(rawValue: "usage")
    public static let invalidName = ErrorCode(rawValue: "invalid_name")
    public static let unknownChallenge = ErrorCode(rawValue: "unknown_challenge")
    public static let unknownVersion = ErrorCode(rawValue: "unknown_version")
    public static let unknownSubmission = ErrorCode(rawValue: "unknown_submission")
    public static let privateHidden = ErrorCode(rawValue: "private_hidden")
    public static let notSelectable = ErrorCode(rawValue: "not_selectable")
    public static let tooManySelected = ErrorCode(rawValue: "too_many_selected")
    public static let notHeld = ErrorCode(rawValue: "not_held")

    // Accounts.
    public static let alreadyExists = ErrorCode(rawValue: "already_exists")
    public static let unknownAccount = ErrorCode(rawValue: "unknown_account")
    public static let invalidAccount = ErrorCode(rawValue: "invalid_account")
    public static let invalidInvite = ErrorCode(rawValue: "invalid_invite")
    public static let weakPassword = ErrorCode(rawValue: "weak_password")
    public static let badCredentials = ErrorCode(rawValue: "bad_credentials")
    public static let tooManyAttempts = ErrorCode(rawValue: "too_many_attempts")

    // Admission of a submission.
    public static let notOpen = ErrorCode(rawValue: "not_open")
    public static let limitReached = ErrorCode(rawValue: "limit_reached")

    // A challenge folder.
    public static let invalidChallenge = ErrorCode(rawValue: "invalid_challenge")
    public static let missingFile = ErrorCode(rawValue: "missing_file")
    public static let inconsistentIds = ErrorCode(rawValue: "inconsistent_ids")
    public static let leakageBlocked = ErrorCode(rawValue: "leakage_blocked")
    public static let alreadyPublished = ErrorCode(rawValue: "already_published")

    // A backup (`podium restore`).
    /// A backup that does not verify: no or a bad manifest, a file missing, extra, of the wrong
    /// size or hash, a database that fails its integrity check. Nothing was restored.
    public static let backupCorrupt = ErrorCode(rawValue: "backup_corrupt")

    // A submitted file or bundle.
    public static let duplicateId = ErrorCode(IntakeError.Code.duplicateID)
    public static let notASubmission = ErrorCode(IntakeError.Code.notASubmission)
    public static let badBundle = ErrorCode(rawValue: "bad_bundle")
    /// A bundle naming a runtime the challenge does not allow (or none this course has).
    public static let runtimeNotAllowed = ErrorCode(rawValue: "runtime_not_allowed")

    // The environment (exit 1, not a bug).
    public static let homeUnavailable = ErrorCode(rawValue: "home_unavailable")
    public static let unwritableOutput = ErrorCode(rawValue: "unwritable_output")
    public static let busy = ErrorCode(rawValue: "busy")
    /// The PostgreSQL store cannot be reached (down, restarting, refused): try again later.
    public static let storeUnavailable = ErrorCode(rawValue: "store_unavailable")

    // The judge's side (internal).
    public static let storeFailed = ErrorCode(rawValue: "store_failed")
    public static let databaseError = ErrorCode(rawValue: "database_error")
    public static let missingStoredFile = ErrorCode(rawValue: "missing_stored_file")
    public static let corruptStoredFile = ErrorCode(rawValue: "corrupt_stored_file")
    /// The audit trail's hash chain does not hold: an event was edited or removed by hand.
    public static let auditBroken = ErrorCode(rawValue: "audit_broken")
    public static let sandboxError = ErrorCode(Verdict.sandboxError)
    /// An evaluation that failed on the judge's side three times (a crash, a lost lease each time).
    public static let judgeError = ErrorCode(rawValue: "judge_error")
    /// A failure of the judge itself that escaped every other code (a bug).
    public static let internalFailure = ErrorCode(rawValue: "internal")

    /// Codes the environment gives (a missing or read-only home, an unwritable output, a lock
    /// held too long): the user's machine refused, not the input.
    public var isEnvironment: Bool {
        self == .homeUnavailable || self == .unwritableOutput || self == .busy || self == .storeUnavailable
    }
}
