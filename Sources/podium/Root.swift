import Foundation
import PodiumApp
import PodiumDomain
import PodiumFiles
import PodiumPasswords
import PodiumPostgres
import PodiumSQLite
import PodiumSandbox

/// The composition root: the one place that reads the environment and builds the adapters
/// the use cases run on (the SQLite store and the home folder, the sandbox launcher beside
/// this executable, the clock).
enum Root {
    static let environment = ProcessInfo.processInfo.environment

    /// `--home`, else `$PODIUM_HOME`, else `./leaderboards`.
    static func home(_ explicit: String?) -> String {
        explicit ?? environment["PODIUM_HOME"] ?? "./leaderboards"
    }

    /// The use cases over the services of a home folder.
    static func useCases(home explicit: String?) -> UseCases { UseCases(services(home: explicit)) }

    /// The use cases over the command's store: `--store`/`$PODIUM_STORE`, else its home.
    static func useCases(_ global: GlobalOptions) throws(JudgeError) -> UseCases { UseCases(try services(global)) }

    /// `--store`, else `$PODIUM_STORE`, else none (the home's SQLite files).
    static func store(_ explicit: String?) -> String? {
        explicit ?? environment["PODIUM_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The services of a command: PostgreSQL when a store is named, else the home folder.
    static func services(_ global: GlobalOptions) throws(JudgeError) -> Services {
        guard let url = store(global.store) else { return services(home: global.home) }
        return try postgresServices(url: url, home: home(global.home))
    }

    /// The services with accounts, from the store or the home.
    static func accountServices(_ global: GlobalOptions, create: Bool = false) throws(JudgeError) -> Services {
        guard let url = store(global.store) else { return try accountServices(home: global.home, create: create) }
        return try postgresServices(url: url, home: home(global.home))
    }

    /// A course on PostgreSQL (DESIGN §8): every port on the store, the home folder as this
    /// machine's cache of stored files and version snapshots (fetched by hash, verified).
    static func postgresServices(url: String, home: String, connections: Int = 8) throws(JudgeError) -> Services {
        if environment["PODIUM_TRACE"] != nil { Trace.enable() }
        do { try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true) } catch {
            throw JudgeError(code: .homeUnavailable, message: "cannot create the cache folder \(home): \(error)")
        }
        let store = try PostgresStore(url: url, connections: connections)
        let blobs = PostgresBlobs(pool: store.pool, cache: HomeFolder(root: home))
        var services = Services(
            challenges: store.challenges(snapshots: {
                (c: Connection, challenge: String, version: Int) throws(JudgeError) in
                try blobs.recordSnapshot(
                    c, challenge: challenge, version: version, folder: blobs.cache.versionFolder(challenge, version))
            }),
            blobs: blobs, sandbox: sandbox(), clock: clock(),
            parallelism: environment["PODIUM_SERIAL"] == nil ? .allCores : .serial,
            publishLockWait: environment["PODIUM_LOCK_WAIT"].flatMap(Double.init) ?? 600,
            accounts: PostgresAccounts(pool: store.pool))
        services.passwords = BcryptPasswords()
        services.queue = Queue(pool: store.pool)
        services.audit = PostgresAudit(pool: store.pool)
        services.actor = operatorActor()
        return services
    }

    /// A store URL without its password.
    static func redacted(_ url: String?) -> String {
        guard let url else { return "" }
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? "(a store)"
    }

    /// The system clock, or `$PODIUM_NOW` (ISO 8601) for tests of deadlines and days.
    static func clock() -> any WallClock {
        if let text = environment["PODIUM_NOW"], let instant = Instants.parseInstant(text) {
            return FixedClock(instant)
        }
        return SystemClock()
    }

    /// The services with the course's accounts (`podium users`); `create` (adding accounts)
    /// makes a missing home, the other commands refuse it (a typo never makes a new home).
    static func accountServices(home explicit: String?, create: Bool = false) throws(JudgeError) -> Services {
        let root = home(explicit)
        if create {
            do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
                throw JudgeError(code: .homeUnavailable, message: "cannot create the home folder \(root): \(error)")
            }
        } else {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/accounts.sqlite", isDirectory: &isFolder) else {
                throw JudgeError(code: .homeUnavailable, message: "the home \(root) has no accounts")
            }
        }
        var services = services(home: explicit)
        services.accounts = try AccountDatabase(home: root)
        services.passwords = BcryptPasswords()
        return services
    }

    /// The services for a home folder.
    static func services(home explicit: String?) -> Services {
        if environment["PODIUM_TRACE"] != nil { Trace.enable() }
        let root = home(explicit)
        var services = Services(
            challenges: SQLiteChallenges(root: root), blobs: HomeFolder(root: root), sandbox: sandbox(), clock: clock(),
            parallelism: environment["PODIUM_SERIAL"] == nil ? .allCores : .serial,
            publishLockWait: environment["PODIUM_LOCK_WAIT"].flatMap(Double.init) ?? 600)
        // A home with accounts: publishing checks team names against them.
        if FileManager.default.fileExists(atPath: root + "/accounts.sqlite") {
            services.accounts = try? AccountDatabase(home: root)
        }
        services.audit = AuditDatabase(home: root)
        services.actor = operatorActor()
        return services
    }

    /// Who runs this command on the course's machine: the login name of its user.
    static func operatorActor() -> Actor {
        let name = getpwuid(geteuid()).flatMap { String(validatingCString: $0.pointee.pw_name) }
        return Actor(name: name ?? environment["USER"] ?? "operator", via: .commandLine)
    }

    /// The sandbox: `podium-launcher` beside this executable (or `$PODIUM_LAUNCHER`), the
    /// policy files in the repository's `sandbox/` (or `$PODIUM_SANDBOX`), the bundle runtime
    /// in `sandbox/runtimes/NAME/venv` (or `$PODIUM_RUNTIMES/NAME/venv`).
    static func sandbox() -> LauncherSandbox {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let launcher = environment["PODIUM_LAUNCHER"] ?? executable.appendingPathComponent("podium-launcher").path
        var folders: [String] = []
        if let dir = environment["PODIUM_SANDBOX"] { folders.append(dir) }
        for start in [
            executable, URL(fileURLWithPath: FileManager.default.currentDirectoryPath), URL(fileURLWithPath: #filePath),
        ] {
            var url = start
            for _ in 0..<8 {
                folders.append(url.appendingPathComponent("sandbox").path)
                url = url.deletingLastPathComponent()
            }
        }
        return LauncherSandbox(launcher: launcher, searchFolders: folders, runtimes: environment["PODIUM_RUNTIMES"])
    }
}
