/// One published version of a challenge: an immutable, content-hashed snapshot.
public struct VersionRecord: Codable, Sendable, Equatable {
    public var number: Int
    public var contentHash: String
    public var publishedAt: String
    /// The folder the snapshot lives in, relative to the challenge's folder.
    public var folder: String
    public var forced: Bool

    public init(number: Int, contentHash: String, publishedAt: String, folder: String, forced: Bool) {
        self.number = number
        self.contentHash = contentHash
        self.publishedAt = publishedAt
        self.folder = folder
        self.forced = forced
    }
}

/// Where a submission is: accepted and waiting (`queued`), being evaluated (`running`), then
/// `scored`, `rejected` (the file's or the rules' refusal, with a code) or `failed` (a bundle
/// that broke a limit, or the judge's fault). Rows are never deleted.
public enum SubmissionStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case queued, running, scored, rejected, failed

    public var description: String { rawValue }

    /// Whether the submission counts against the team's limits (a refusal never does).
    public var counts: Bool { self == .queued || self == .running || self == .scored }
    /// Whether evaluation is over.
    public var isFinal: Bool { self == .scored || self == .rejected || self == .failed }
}

/// A submission before the store gives it an id.
public struct NewSubmission: Sendable, Equatable {
    public var participant: String
    public var team: String
    public var fileSha256: String
    public var fileName: String
    public var message: String?
    /// ISO 8601 UTC with milliseconds; orders submissions.
    public var submittedAt: String
    /// The UTC day, for per-day limits.
    public var day: String
    public var late: Bool
    /// The challenge version current when it was accepted.
    public var version: Int

    public init(
        participant: String, team: String, fileSha256: String, fileName: String, message: String?, submittedAt: String,
        day: String, late: Bool, version: Int
    ) {
        self.participant = participant
        self.team = team
        self.fileSha256 = fileSha256
        self.fileName = fileName
        self.message = message
        self.submittedAt = submittedAt
        self.day = day
        self.late = late
        self.version = version
    }
}

/// A stored submission.
public struct SubmissionRecord: Codable, Sendable, Equatable {
    public var id: Int64
    public var participant: String
    public var team: String
    public var fileSha256: String
    public var fileName: String
    public var message: String?
    public var submittedAt: String
    public var day: String
    public var late: Bool
    public var status: SubmissionStatus
    public var version: Int
    public var errorCode: ErrorCode?
    public var errorMessage: String?
    public var errorRow: Int?
    public var errorColumn: String?
    public var selected = false
    /// Held off the public board by a check (a perfect score, a bundle carrying answers).
    public var held = false

    public init(id: Int64, _ new: NewSubmission, status: SubmissionStatus) {
        self.id = id
        participant = new.participant
        team = new.team
        fileSha256 = new.fileSha256
        fileName = new.fileName
        message = new.message
        submittedAt = new.submittedAt
        day = new.day
        late = new.late
        self.status = status
        version = new.version
    }

    /// The refusal or failure recorded with it.
    public var error: JudgeError? {
        errorCode.map { JudgeError(code: $0, message: errorMessage ?? "", row: errorRow, column: errorColumn) }
    }
}

/// The result of evaluating one submission against one challenge version.
public struct ScoreRecord: Codable, Sendable, Equatable {
    public var submissionId: Int64
    public var version: Int
    /// `scored`, `rejected` or `failed`.
    public var status: SubmissionStatus
    public var publicPrimary: Double?
    public var privatePrimary: Double?
    /// The full report (DESIGN §4 JSON) or the error, as stored.
    public var report: String
    public var scoredAt: String

    public init(
        submissionId: Int64, version: Int, status: SubmissionStatus, publicPrimary: Double?, privatePrimary: Double?,
        report: String, scoredAt: String
    ) {
        self.submissionId = submissionId
        self.version = version
        self.status = status
        self.publicPrimary = publicPrimary
        self.privatePrimary = privatePrimary
        self.report = report
        self.scoredAt = scoredAt
    }
}
