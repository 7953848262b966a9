import Foundation
import PodiumChecks
import PodiumDomain

/// A course's rows as one store exports them and another imports them (`podium migrate`):
/// everything the ports read, plus what only a move needs (probes by submission, cleared
/// reasons, full secret hashes).
public enum CourseCopy {
    public struct Challenge: Sendable {
        public var id: String
        public var versions: [VersionRecord]
        public var allowances: [Int: [CheckName: String]]
        public var submissions: [SubmissionRecord]
        /// Submission → the instructor's reason for clearing it.
        public var cleared: [Int64: String]
        public var scores: [ScoreRecord]
        public var intervals: [Int64: [StoredInterval]]
        public var probes: [Int64: [UInt8]]

        public init(
            id: String, versions: [VersionRecord], allowances: [Int: [CheckName: String]],
            submissions: [SubmissionRecord], cleared: [Int64: String], scores: [ScoreRecord],
            intervals: [Int64: [StoredInterval]], probes: [Int64: [UInt8]]
        ) {
            self.id = id
            self.versions = versions
            self.allowances = allowances
            self.submissions = submissions
            self.cleared = cleared
            self.scores = scores
            self.intervals = intervals
            self.probes = probes
        }
    }

    /// An account with its password hash and every secret (invites, tokens), as stored.
    public struct Person: Sendable {
        public var account: Account
        public var passwordHash: String?
        public var disabledAt: String?
        public var secrets: [Secret]

        public init(account: Account, passwordHash: String?, disabledAt: String?, secrets: [Secret]) {
            self.account = account
            self.passwordHash = passwordHash
            self.disabledAt = disabledAt
            self.secrets = secrets
        }
    }

    public struct Secret: Sendable {
        public var sha256: String
        public var kind: String
        public var createdAt: String
        public var expiresAt: String?
        public var revokedAt: String?
        public var label: String?

        public init(
            sha256: String, kind: String, createdAt: String, expiresAt: String?, revokedAt: String?, label: String?
        ) {
            self.sha256 = sha256
            self.kind = kind
            self.createdAt = createdAt
            self.expiresAt = expiresAt
            self.revokedAt = revokedAt
            self.label = label
        }
    }
}
