import Foundation
import PodiumApp
import PodiumDomain
import PodiumFiles
import PodiumPostgres
import PodiumSQLite
import PodiumSandbox
import PodiumTestSupport
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
            return Services(
                challenges: SQLiteChallenges(root: path), blobs: HomeFolder(root: path), sandbox: sandbox,
                clock: FixedClock(now), publishLockWait: 5)
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
        return services
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
    func run(command: [String], bundle: String, input: String, limits: ChallengeConfig.SandboxLimits, work: String)
        throws(JudgeError) -> (predictions: String, run: SandboxRun)
    {
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
                launcher: $0, searchFolders: [package.appendingPathComponent("sandbox").path], runtime: nil)
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
