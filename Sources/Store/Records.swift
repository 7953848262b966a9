import GRDB

/// One published version of a challenge: an immutable, content-hashed snapshot.
public struct VersionRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "version"
    public var number: Int
    public var contentHash: String
    public var publishedAt: String
    /// The folder the snapshot lives in.
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

/// One submission. Its status moves `received → scored | rejected | failed`; rows are never
/// deleted.
public struct SubmissionRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "submission"
    public var id: Int64?
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
    public var status: String
    public var version: Int
    public var errorCode: String?
    public var errorMessage: String?
    public var errorRow: Int?
    public var errorColumn: String?
    public var selected: Bool
    /// Held off the public board by a check (a perfect score, a bundle carrying answers).
    public var held = false

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public init(
        participant: String, team: String, fileSha256: String, fileName: String, message: String?, submittedAt: String,
        day: String, late: Bool, status: String, version: Int
    ) {
        self.participant = participant
        self.team = team
        self.fileSha256 = fileSha256
        self.fileName = fileName
        self.message = message
        self.submittedAt = submittedAt
        self.day = day
        self.late = late
        self.status = status
        self.version = version
        self.selected = false
    }
}

/// The result of evaluating one submission against one challenge version.
public struct ScoreRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "score"
    public var submissionId: Int64
    public var version: Int
    public var status: String
    public var publicPrimary: Double?
    public var privatePrimary: Double?
    /// The full report (DESIGN §4 JSON) or the error.
    public var report: String
    public var scoredAt: String

    public init(submissionId: Int64, version: Int, status: String, publicPrimary: Double?, privatePrimary: Double?, report: String, scoredAt: String) {
        self.submissionId = submissionId
        self.version = version
        self.status = status
        self.publicPrimary = publicPrimary
        self.privatePrimary = privatePrimary
        self.report = report
        self.scoredAt = scoredAt
    }
}
