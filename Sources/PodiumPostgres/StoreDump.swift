import Foundation
import PodiumApp
import PodiumDomain
import PodiumSystem
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// A course's PostgreSQL database dumped to one file and restored from it: `pg_dump
/// --format=custom` of one snapshot (the counts are read in the same snapshot), and
/// `pg_restore` in one transaction into a database without Podium's tables, after which every
/// blob must hash to its name and every file a row names must be a blob.
public struct StoreDump: Sendable {
    public let url: StoreURL

    public init(url: String) throws(JudgeError) { self.url = try StoreURL(url) }

    public struct Counts: Sendable {
        public var challenges = 0
        public var submissions = 0
        public var scores = 0
        public var accounts = 0
    }

    /// Dumps the store into the new file `file`. One transaction exports its snapshot, which
    /// `pg_dump` then reads: the counts and the dump are of the same moment, however the
    /// course's server and workers write meanwhile (nobody waits for the dump).
    public func dump(to file: String) throws(JudgeError) -> Counts {
        let pool = Pool(url, maximum: 1)
        defer { pool.close() }
        return try pool.withConnection { (c: Connection) throws(JudgeError) -> Counts in
            try c.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            defer { _ = try? c.execute("ROLLBACK") }
            guard try Self.hasCourse(c) else {
                throw JudgeError(code: .unknownChallenge, message: "\(url.redacted) holds no Podium course")
            }
            let snapshot = try c.rows("SELECT pg_export_snapshot()").first?.value(String.self) ?? ""
            let counts = try Self.counts(c)
            try PostgresTool.run(
                "pg_dump",
                ["--format=custom", "--compress=1", "--file=\(file)", "--snapshot=\(snapshot)"]
                    + PostgresTool.connection(url)
                    + ["--dbname=\(url.database)"], url: url)
            return counts
        }
    }

    /// Restores the dump `file` into this store, which must hold no Podium tables
    /// (`already_exists`), in one transaction; then checks every blob (downloaded one at a time
    /// into the folder `scratch`, hashed by `hasher`) and that every file a row names is a blob
    /// (`backup_corrupt` otherwise: drop the database before trying again), and queues again
    /// the submissions left `running` (their claims not counted). Returns the counts and how
    /// many were queued again.
    public func restore(from file: String, scratch: String, hasher: any BlobStore) throws(JudgeError) -> (
        Counts, requeued: Int
    ) {
        let pool = Pool(url, maximum: 2)
        defer { pool.close() }
        try pool.withConnection { (c: Connection) throws(JudgeError) in
            if try Self.hasCourse(c) {
                throw JudgeError(
                    code: .alreadyExists,
                    message: "\(url.redacted) already holds Podium's tables; restore into a new, empty database "
                        + "(createdb)")
            }
        }
        try PostgresTool.run(
            "pg_restore",
            ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"] + PostgresTool.connection(url)
                + ["--dbname=\(url.database)", file], url: url)
        try PostgresBlobs(pool: pool, cache: hasher).verifyEveryBlob(scratch: scratch)
        return try pool.transaction { (c: Connection) throws(JudgeError) -> (Counts, requeued: Int) in
            let requeued = try c.execute(
                """
                UPDATE submission SET status = 'queued', lease_owner = NULL, lease_until = NULL,
                  attempts = GREATEST(0, attempts - 1), available_at = 0
                WHERE status = 'running'
                """)
            return (try Self.counts(c), requeued)
        }
    }

    static func hasCourse(_ c: Connection) throws(JudgeError) -> Bool {
        try c.rows("SELECT to_regclass('podium_migration') IS NOT NULL OR to_regclass('challenge') IS NOT NULL")
            .first?.value(Bool.self) ?? false
    }

    static func counts(_ c: Connection) throws(JudgeError) -> Counts {
        let row = try c.rows(
            """
            SELECT (SELECT count(*) FROM challenge), (SELECT count(*) FROM submission),
              (SELECT count(*) FROM score), (SELECT count(*) FROM account)
            """
        ).first
        guard let (challenges, submissions, scores, accounts) = try row?.values((Int, Int, Int, Int).self) else {
            return Counts()
        }
        return Counts(challenges: challenges, submissions: submissions, scores: scores, accounts: accounts)
    }
}

extension PostgresBlobs {
    /// Every blob downloaded (one at a time, into the folder `scratch`) and hashed by the cache:
    /// the first that does not hash to its name, and the first file a submission or a version
    /// names without a blob, is `backup_corrupt`.
    func verifyEveryBlob(scratch: String) throws(JudgeError) {
        let names = try pool.withConnection { (c: Connection) throws(JudgeError) -> [String] in
            var names: [String] = []
            for row in try c.rows("SELECT sha256 FROM blob ORDER BY sha256") {
                names.append(try row.value(String.self))
            }
            return names
        }
        try makeDirectory(scratch)
        for sha256 in names {
            let file = "\(scratch)/.verify-\(getpid())-\(sha256)"
            defer { unlink(file) }
            guard try download(sha256, to: file) == true, try cache.hash(file: file) == sha256 else {
                throw JudgeError(
                    code: .backupCorrupt,
                    message: "the blob \(sha256) restored into \(pool.url.redacted) does not hash to its name; drop "
                        + "that database and restore an earlier backup")
            }
        }
        let missing = try pool.withConnection { (c: Connection) throws(JudgeError) -> String? in
            try c.rows(
                """
                SELECT sha FROM (SELECT file_sha256 AS sha FROM submission UNION SELECT sha256 FROM version_file) AS named
                WHERE NOT EXISTS (SELECT 1 FROM blob WHERE blob.sha256 = named.sha) LIMIT 1
                """
            ).first?.value(String.self)
        }
        if let missing {
            throw JudgeError(
                code: .backupCorrupt,
                message: "the file \(missing) named by a submission or a version is not in \(pool.url.redacted)")
        }
    }
}
