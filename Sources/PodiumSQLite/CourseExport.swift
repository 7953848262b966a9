import Foundation
import GRDB
import PodiumApp
import PodiumDomain

// What `podium migrate` reads of a home that the ports do not give: probes by submission,
// cleared reasons, and the accounts' stored secrets whole.
extension ChallengeDatabase {
    /// Every probing fingerprint by submission.
    public func probesById() throws(JudgeError) -> [Int64: [UInt8]] {
        try read { db in
            var out: [Int64: [UInt8]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT submissionId, signature FROM probe") {
                out[row[0]] = Array(row[1] as Data)
            }
            return out
        }
    }

    /// Every cleared submission's reason.
    public func clearedReasons() throws(JudgeError) -> [Int64: String] {
        try read { db in
            var out: [Int64: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, clearedReason FROM submission WHERE clearedReason IS NOT NULL")
            {
                out[row[0]] = row[1]
            }
            return out
        }
    }
}

extension SQLiteChallenges {
    /// The open database of a challenge (for an export).
    public func database(of challenge: String) throws(JudgeError) -> ChallengeDatabase { try database(challenge) }
}

extension AccountDatabase {
    /// Every account with its password hash and secrets, as stored.
    public func export() throws(JudgeError) -> [CourseCopy.Person] {
        try file.read { db in
            var secrets: [String: [CourseCopy.Secret]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM secret ORDER BY createdAt, sha256") {
                secrets[row["name"], default: []].append(
                    CourseCopy.Secret(
                        sha256: row["sha256"], kind: row["kind"], createdAt: row["createdAt"],
                        expiresAt: row["expiresAt"], revokedAt: row["revokedAt"], label: row["label"]))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map { row in
                CourseCopy.Person(
                    account: Self.account(row), passwordHash: row["passwordHash"], disabledAt: row["disabledAt"],
                    secrets: secrets[row["name"]] ?? [])
            }
        }
    }
}
