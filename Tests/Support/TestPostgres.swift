import Foundation
import PodiumDomain
import PodiumPostgres
import PodiumSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A fresh PostgreSQL database for each test, on one server per test process: the server
/// `$PODIUM_TEST_STORE` names (a `postgres://` URL), else a private cluster that
/// `scripts/pg-cluster.sh` starts in a temporary folder on first use and an `atexit` handler
/// stops and removes. Databases made on a server of one's own are dropped at exit too.
public enum TestPostgres {
    public struct SetupFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The server, reached through its URL's database (the maintenance database: the one
    /// `CREATE DATABASE` is sent to), and the folder of the private cluster when there is one.
    struct Server: Sendable {
        var url: StoreURL
        var cluster: String?
        var pool: Pool
    }

    /// Started once per process (a `static let` is initialised once, whatever the threads).
    static let server: Result<Server, SetupFailure> = start()

    /// The server's URL (its maintenance database).
    public static var serverURL: String { (try? server.get()).map { text($0.url) } ?? "" }

    /// The databases this process created, dropped at exit on a server it did not start.
    private static let created = Mutex<[String]>([])

    /// Creates an empty database `t_<random>` and returns its URL.
    public static func database() throws -> String {
        let server = try server.get()
        let name = "t_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try server.pool.withConnection { (c: Connection) throws(JudgeError) -> Void in
            try c.execute("CREATE DATABASE \(unescaped: name)")
        }
        created.withLock { $0.append(name) }
        return text(server.url.with(database: name))
    }

    /// A migrated store on a new database; the caller closes its pool.
    public static func store(connections: Int = 4) throws -> PostgresStore {
        try PostgresStore(url: database(), connections: connections)
    }

    /// A URL `StoreURL` reads back the same (it keeps no password of a private cluster).
    static func text(_ url: StoreURL) -> String {
        let user = url.user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? url.user
        let password = url.password.map {
            ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)
        }
        let credentials = user + (password ?? "")
        if let folder = url.socketFolder {
            return "postgres://\(credentials)@/\(url.database)?host=\(folder)&port=\(url.port)"
        }
        return "postgres://\(credentials)@\(url.host):\(url.port)/\(url.database)"
    }

    static func start() -> Result<Server, SetupFailure> {
        let server: Result<Server, SetupFailure>
        if let given = ProcessInfo.processInfo.environment["PODIUM_TEST_STORE"], !given.isEmpty {
            server = connect(given, cluster: nil)
        } else {
            let folder = "/tmp/podium-pg-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
            do {
                let output = try script("start", folder)
                server = connect(output.split(separator: "\n").last.map(String.init) ?? "", cluster: folder)
            } catch {
                _ = try? script("stop", folder)
                try? FileManager.default.removeItem(atPath: folder)
                return .failure(error)
            }
        }
        atexit { TestPostgres.finish() }
        return server
    }

    static func connect(_ text: String, cluster: String?) -> Result<Server, SetupFailure> {
        do throws(JudgeError) {
            let url = try StoreURL(text)
            return .success(Server(url: url, cluster: cluster, pool: Pool(url, maximum: 2)))
        } catch {
            return .failure(SetupFailure(description: "the test store \(text): \(error)"))
        }
    }

    /// At exit: stops and removes the private cluster, or drops this process's databases.
    static func finish() {
        guard case .success(let server) = server else { return }
        if let cluster = server.cluster {
            server.pool.close()
            _ = try? script("stop", cluster)
            try? FileManager.default.removeItem(atPath: cluster)
            return
        }
        for name in created.withLock({ $0 }) {
            try? server.pool.withConnection { (c: Connection) throws(JudgeError) -> Void in
                try c.execute("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)")
            }
        }
        server.pool.close()
    }

    /// Runs `scripts/pg-cluster.sh COMMAND FOLDER` of this repository; returns what it printed.
    /// (posix_spawn and waitpid, `runToEnd`: Foundation's `Process.waitUntilExit` can hang on a
    /// thread of Swift's cooperative pool, where tests run.)
    static func script(_ command: String, _ folder: String) throws(SetupFailure) -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let log = "\(folder).\(command).log"
        defer { unlink(log) }
        let arguments = ["\(root)/scripts/pg-cluster.sh", command, folder]
        let succeeded: Bool
        do { succeeded = try runToEnd("/bin/bash", arguments, output: log) } catch {
            throw SetupFailure(description: "cannot run scripts/pg-cluster.sh: \(error.message)")
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard succeeded else {
            throw SetupFailure(description: "scripts/pg-cluster.sh \(command) \(folder) failed: \(output)")
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
