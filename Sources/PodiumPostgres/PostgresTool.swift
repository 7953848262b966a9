import Foundation
import PodiumDomain
import PodiumSystem

#if canImport(Glibc)
import Glibc
#endif

/// PostgreSQL's client programs (`pg_dump`, `pg_restore`) run as child processes against a
/// store: the newest installed under Debian's `/usr/lib/postgresql/N/bin`, else `/usr/bin`.
/// The connection goes by options and the password by `PGPASSWORD` in the child's environment,
/// never on its command line; the child's output goes to a file, read only when it fails.
enum PostgresTool {
    /// The program's path, or nil when it is not installed.
    static func path(_ name: String) -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap { Int($0) }
        let candidates = versions.sorted(by: >).map { "\(root)/\($0)/bin/\(name)" } + ["/usr/bin/\(name)"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The options that name the server, the user and the database of `url`.
    static func connection(_ url: StoreURL) -> [String] {
        ["--host=\(url.socketFolder ?? url.host)", "--port=\(url.port)", "--username=\(url.user)", "--no-password"]
    }

    /// Runs `name` with `arguments` and waits for it; a failure is `store_failed` with the end
    /// of what it printed.
    static func run(_ name: String, _ arguments: [String], url: StoreURL) throws(JudgeError) {
        guard let program = path(name) else {
            throw JudgeError(
                code: .storeUnavailable,
                message: "\(name) is not installed (Debian: apt-get install postgresql-client)")
        }
        let log = NSTemporaryDirectory() + "podium-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { unlink(log) }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        if let password = url.password { environment["PGPASSWORD"] = password }
        let succeeded = try runToEnd(
            program, arguments, environment: environment.map { "\($0.key)=\($0.value)" }, output: log)
        guard succeeded else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw JudgeError(
                code: .storeFailed,
                message:
                    "\(name) failed on \(url.redacted): \(output.suffix(600).trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
    }
}
