import Foundation
import GRDB
import PodiumDomain
import PodiumSystem

/// One SQLite database file (WAL, busy timeout, foreign keys), migrated when opened, with
/// reads and IMMEDIATE write transactions whose failures become codes.
struct SQLiteFile: Sendable {
    let pool: DatabasePool
    let path: String

    init(path: String, migrator: DatabaseMigrator) throws(JudgeError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.foreignKeysEnabled = true
        // Opening switches the file to WAL and migrating checks then creates tables: two
        // processes doing both at once (two first publishes, a publish and a submit) collide
        // ("table already exists", "database is locked"), so they take turns. Best effort: a
        // home where no lock file can be made fails below with the real reason.
        let lock = try? FileLock.acquire(path + ".lock", timeout: 60)
        defer { lock?.release() }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
        } catch {
            throw Self.failure(error, "cannot open \(path)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(JudgeError) -> T {
        do { return try pool.read(body) } catch { throw Self.failure(error, path) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(JudgeError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T? = nil
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw DatabaseError(message: "a transaction returned nothing") }
                return result
            }
        } catch let error as JudgeError {
            throw error
        } catch {
            throw Self.failure(error, path)
        }
    }

    /// A database failure: `home_unavailable` when the environment refused (a read-only home, a
    /// file that cannot be opened or created, a full disk), else `database_error`.
    static func failure(_ error: any Error, _ message: String) -> JudgeError {
        let environment: Set<Int32> = [
            ResultCode.SQLITE_READONLY.primaryResultCode.rawValue, ResultCode.SQLITE_CANTOPEN.rawValue,
            ResultCode.SQLITE_FULL.rawValue, ResultCode.SQLITE_PERM.rawValue,
        ]
        if let error = error as? DatabaseError, environment.contains(error.resultCode.primaryResultCode.rawValue) {
            return JudgeError.store("home_unavailable", "\(message): \(error.message ?? "\(error.resultCode)")")
        }
        return JudgeError.store("database_error", "\(message): \(error)")
    }
}
