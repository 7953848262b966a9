import Foundation
import GRDB
import PodiumApp
import PodiumDomain
import PodiumFiles
import PodiumPostgres
import PodiumSQLite
import PodiumSandbox
import PodiumTestSupport
import PostgresNIO
import SandboxProtocol
import Testing

/// A fresh temporary folder holding a Podium home (`home/`) and the files a test writes beside
/// it, and the services a process on that home would build: the SQLite store, the home folder,
/// a sandbox and a clock stopped where the test says.
///
/// With `PODIUM_TEST_BACKEND=postgres` the store is a fresh PostgreSQL database instead (the
/// home folder is then the machine's cache of files): the same tests, the other adapter.
struct TestHome {
    let root: String
    var path: String { root + "/home" }
    /// The PostgreSQL store of this test (`nil`: SQLite).
    let store: PostgresStore?

    init(store kind: StoreKind = .current) throws {
        root = NSTemporaryDirectory() + "podium-app-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
        store = kind == .postgres ? try PostgresStore(url: try TestPostgres.database()) : nil
    }

    /// The services of one process on this home at `now`.
    func services(at now: Date, sandbox: any SandboxRunner = NoSandbox()) -> Services {
        guard let store else {
            var services = Services(
                challenges: SQLiteChallenges(root: path), blobs: HomeFolder(root: path), sandbox: sandbox,
                clock: FixedClock(now), publishLockWait: 5)
            services.audit = audit
            return services
        }
        let blobs = PostgresBlobs(pool: store.pool, cache: HomeFolder(root: path))
        var services = Services(
            challenges: store.challenges(snapshots: {
                (c: Connection, challenge: String, version: Int) throws(JudgeError) in
                try blobs.recordSnapshot(
                    c, challenge: challenge, version: version, folder: blobs.cache.versionFolder(challenge, version))
            }),
            blobs: blobs, sandbox: sandbox, clock: FixedClock(now), publishLockWait: 5)
        services.queue = Queue(pool: store.pool)
        services.audit = audit
        return services
    }

    /// The course's audit trail on this test's store.
    var audit: any AuditLog {
        guard let store else { return AuditDatabase(home: path) }
        return PostgresAudit(pool: store.pool)
    }

    /// Writes a file beside the home and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = root + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A published challenge's records, opened as a second process would.
    func records(_ challenge: String) throws(JudgeError) -> any ChallengeRecords {
        let repository: any ChallengeRepository = store.map { $0.challenges() } ?? SQLiteChallenges(root: path)
        guard let records = try repository.records(challenge) else {
            throw JudgeError(code: .unknownChallenge, message: "no challenge \(challenge) in \(path)")
        }
        return records
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// The sandbox of tests that run no bundle: running one is the judge's failure.
struct NoSandbox: SandboxRunner {
    func run(
        command: [String], bundle: String, input: String, runtime: String, limits: ChallengeConfig.SandboxLimits,
        work: String
    ) throws(JudgeError) -> (predictions: String, run: SandboxRun) {
        var error = JudgeError(code: .sandboxError, message: "this test runs no bundle")
        error.isInternal = true
        throw error
    }
}

/// The real sandbox: `podium-launcher` as built beside the tests, the repository's `sandbox/`.
enum RealSandbox {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The launcher beside the test bundle, else in `.build/debug`; `nil` when neither is built.
    static let launcher: String? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("podium-launcher").path,
            package.appendingPathComponent(".build/debug/podium-launcher").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func runner() -> LauncherSandbox? {
        launcher.map {
            LauncherSandbox(
                launcher: $0, searchFolders: [package.appendingPathComponent("sandbox").path], runtimes: nil)
        }
    }
}

/// An instant written as in `challenge.yaml` (ISO 8601).
func instant(_ text: String) -> Date {
    guard let date = Instants.parseInstant(text) else {
        Issue.record("not an instant: \(text)")
        return .distantPast
    }
    return date
}

/// The error a call throws, or `nil` when it succeeds.
func failure<T>(_ body: () throws(JudgeError) -> T) -> JudgeError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Close to 1e-9 relative (exact for zero).
func close(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= 1e-9 * abs(b) + 1e-15
}

extension TestHome {
    /// The course's accounts on this test's store.
    func accountStore() throws(JudgeError) -> any AccountStore {
        guard let store else { return try AccountDatabase(home: path) }
        return PostgresAccounts(pool: store.pool)
    }

    /// The audit trail's table on this test's store.
    var auditTable: String { store == nil ? "event" : "audit_event" }

    /// Runs SQL on the audit trail's database as someone with the file (or the database) would.
    func execute(_ sql: String) throws {
        guard let store else {
            let queue = try DatabaseQueue(path: path + "/audit.sqlite")
            try queue.write { db in try db.execute(sql: sql) }
            return
        }
        _ = try store.pool.withConnection { (c: Connection) throws(JudgeError) in
            try c.execute(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// Removes the triggers that keep the trail append-only (what someone tampering would do first).
    func dropAuditProtection() throws {
        if store == nil {
            try execute("DROP TRIGGER eventNoUpdate")
            try execute("DROP TRIGGER eventNoDelete")
        } else {
            try execute("DROP TRIGGER audit_event_no_change ON audit_event")
        }
    }
}

/// Passwords kept as they are (a test's stand-in for bcrypt, which is slow on purpose).
struct PlainPasswords: PasswordHasher {
    func hash(_ password: String) -> String { "plain:" + password }
    func verify(_ password: String, against hash: String) -> Bool { hash == "plain:" + password }
}
