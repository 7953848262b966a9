import Foundation
import PodiumApp
import PodiumDomain
import PostgresNIO

/// The challenge repository on PostgreSQL: every challenge of the course in one schema.
public struct PostgresChallenges: ChallengeRepository {
    public let pool: Pool
    /// Records a published version's files (the blob store's `recordSnapshot`) inside the
    /// transaction that adds the version.
    let snapshots: VersionFiles?

    /// What writes a version's file list beside its row.
    public typealias VersionFiles = @Sendable (Connection, String, Int) throws(JudgeError) -> Void

    public init(pool: Pool, snapshots: VersionFiles? = nil) {
        self.pool = pool
        self.snapshots = snapshots
    }

    func make(_ challenge: String) -> PostgresRecords {
        PostgresRecords(pool: pool, challenge: challenge, snapshots: snapshots)
    }

    public func records(_ challenge: String) throws(JudgeError) -> (any ChallengeRecords)? {
        let found = try pool.withConnection { (c: Connection) throws(JudgeError) -> Bool in
            try !c.rows("SELECT 1 FROM challenge WHERE id = \(challenge)").isEmpty
        }
        return found ? make(challenge) : nil
    }

    public func create(_ challenge: String) throws(JudgeError) -> any ChallengeRecords {
        let now = Instants.timestamp(Date())
        try pool.withConnection { (c: Connection) throws(JudgeError) in
            try c.execute("INSERT INTO challenge (id, created_at) VALUES (\(challenge), \(now)) ON CONFLICT DO NOTHING")
        }
        return make(challenge)
    }

    public func challengeIds() throws(JudgeError) -> [String] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [String] in
            var out: [String] = []
            for row in try c.rows("SELECT id FROM challenge ORDER BY id") { out.append(try row.value(String.self)) }
            return out
        }
    }

    /// One publish of a challenge at a time across every machine: a session advisory lock on
    /// a connection held for the publish, tried every 100 ms for up to `wait` seconds.
    public func whilePublishing<T>(_ challenge: String, wait: Double, _ body: () throws(JudgeError) -> T)
        throws(JudgeError) -> T
    {
        let key = "publish:" + challenge
        return try pool.withConnection { (c: Connection) throws(JudgeError) -> T in
            let deadline = Date().addingTimeInterval(wait)
            while true {
                let got = try c.rows("SELECT pg_try_advisory_lock(hashtext(\(key)))").first?.value(Bool.self) ?? false
                if got { break }
                guard Date() < deadline else {
                    throw JudgeError(
                        code: .busy,
                        message: "another publish of \(challenge) has been running for over \(Int(wait)) s; "
                            + "try again when it ends")
                }
                usleep(100_000)
            }
            defer { _ = try? c.execute("SELECT pg_advisory_unlock(hashtext(\(key)))") }
            return try body()
        }
    }
}
