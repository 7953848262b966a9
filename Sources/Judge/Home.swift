import Foundation
import Store

/// Podium's home: `<home>/<challenge id>/` holds `podium.sqlite`, `versions/<n>/` (immutable
/// snapshots of the challenge folder) and `files/` (submitted files, content-addressed).
public struct Home: Sendable {
    public let root: String

    /// `--home`, else `$PODIUM_HOME`, else `./leaderboards`.
    public init(_ explicit: String?) {
        root = explicit ?? ProcessInfo.processInfo.environment["PODIUM_HOME"] ?? "./leaderboards"
    }

    public func folder(_ id: String) -> String { "\(root)/\(id)" }
    public func databasePath(_ id: String) -> String { "\(folder(id))/podium.sqlite" }
    public func versionFolder(_ id: String, _ number: Int) -> String { "\(folder(id))/versions/\(number)" }
    public func files(_ id: String) -> FileStore { FileStore(root: "\(folder(id))/files") }

    /// The id of a challenge named by its id or by a challenge folder.
    public func resolve(_ name: String) throws(JudgeError) -> String {
        if FileManager.default.fileExists(atPath: (name as NSString).appendingPathComponent("challenge.yaml")) {
            return try ChallengeConfig.load(folder: name).id
        }
        return name
    }

    /// Opens a published challenge.
    public func open(_ name: String) throws(JudgeError) -> PublishedChallenge {
        let id = try resolve(name)
        guard FileManager.default.fileExists(atPath: databasePath(id)) else {
            throw JudgeError(code: "unknown_challenge", message: "no challenge '\(id)' is published in \(root) (run podium publish first, or pass --home)")
        }
        let database: ChallengeDatabase
        do { database = try ChallengeDatabase(path: databasePath(id)) } catch { throw JudgeError(store: error) }
        guard let version = try storeCall({ () throws(StoreError) in try database.latestVersion() }) else {
            throw JudgeError(code: "unknown_challenge", message: "the challenge '\(id)' has no published version")
        }
        let config = try ChallengeConfig.load(folder: versionFolder(id, version.number))
        return PublishedChallenge(home: self, id: id, database: database, version: version, config: config)
    }
}

/// A published challenge: its database, its current version and that version's configuration.
public struct PublishedChallenge: Sendable {
    public let home: Home
    public let id: String
    public let database: ChallengeDatabase
    public let version: VersionRecord
    public let config: ChallengeConfig

    /// The configuration of another version.
    public func config(of version: Int) throws(JudgeError) -> ChallengeConfig {
        try ChallengeConfig.load(folder: home.versionFolder(id, version))
    }

    /// Whether the competition has closed at `now`.
    public func closed(at now: Date) -> Bool { config.closes.map { now > $0 } ?? false }
}

extension JudgeError {
    init(store error: StoreError) {
        self.init(code: error.code, message: error.message)
        isInternal = error.code == "database_error" || error.code == "store_failed"
    }
}

/// Runs a store operation, mapping its error.
func storeCall<T>(_ body: () throws(StoreError) -> T) throws(JudgeError) -> T {
    do { return try body() } catch { throw JudgeError(store: error) }
}

/// The current time, or `$PODIUM_NOW` (ISO 8601) — a test hook for deadlines and days.
public func currentTime() -> Date {
    if let text = ProcessInfo.processInfo.environment["PODIUM_NOW"], let date = parseInstant(text) { return date }
    return Date()
}

/// ISO 8601 UTC with milliseconds.
func timestamp(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.string(from: date)
}

/// The UTC day of a date, `YYYY-MM-DD`.
func utcDay(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withFullDate]
    return f.string(from: date)
}
