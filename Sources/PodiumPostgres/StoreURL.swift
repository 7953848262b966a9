import Foundation
import PodiumDomain
import PostgresNIO

/// A PostgreSQL store named by a URL, as libpq writes it:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or a Unix socket with
/// `postgres://USER@/DATABASE?host=/run/postgresql&port=5432` (the socket's folder). The
/// password may also come from `$PGPASSWORD`; it never appears in a message (`redacted`).
public struct StoreURL: Sendable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    /// The folder of the server's Unix socket (`nil`: TCP).
    public var socketFolder: String?
    public var database: String

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(JudgeError)
    {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw JudgeError(
                code: .usage,
                message: "the store must be a postgres:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), "
                    + "not '\(Self.redact(text))'")
        }
        let query = Dictionary(
            (url.queryItems ?? []).compactMap { item in item.value.map { (item.name, $0) } },
            uniquingKeysWith: { _, last in last })
        user = url.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? "postgres"
        password = url.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        port = url.port ?? query["port"].flatMap(Int.init) ?? 5432
        let folder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        socketFolder = folder
        host = folder == nil ? (url.host.flatMap { $0.isEmpty ? nil : $0 } ?? query["host"] ?? "localhost") : ""
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !path.isEmpty, !path.contains("/") else {
            throw JudgeError(code: .usage, message: "the store URL names no database: \(Self.redact(text))")
        }
        database = path
    }

    /// The URL, password included (for a child process or another database of the same server).
    public var text: String {
        let secret =
            password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? "") } ?? ""
        if let folder = socketFolder {
            return "postgres://\(user)\(secret)@/\(database)?host=\(folder)&port=\(port)"
        }
        return "postgres://\(user)\(secret)@\(host):\(port)/\(database)"
    }

    /// The URL with its password replaced by `***`.
    public var redacted: String {
        let location = socketFolder.map { "/\(database)?host=\($0)&port=\(port)" } ?? "\(host):\(port)/\(database)"
        return socketFolder == nil ? "postgres://\(user)@\(location)" : "postgres://\(user)@\(location)"
    }

    static func redact(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? "(a URL)"
    }

    /// The connection settings postgres-nio takes.
    var configuration: PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let folder = socketFolder {
            configuration = .init(
                unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            configuration = .init(
                host: host, port: port, username: user, password: password, database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// The same server, another database (the maintenance database `postgres`, to create one).
    public func with(database: String) -> StoreURL {
        var copy = self
        copy.database = database
        return copy
    }
}
