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

    /// The home must be an existing folder: anything else is the environment's refusal
    /// (`home_unavailable`, exit 1), not a bug.
    func requireFolder() throws(JudgeError) {
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &folder) else {
            throw JudgeError(code: "home_unavailable", message: "the home folder \(root) does not exist (publish a challenge first, or pass --home or set PODIUM_HOME)")
        }
        guard folder.boolValue else {
            throw JudgeError(code: "home_unavailable", message: "the home \(root) is a file, not a folder (pass --home or set PODIUM_HOME)")
        }
    }

    /// Opens a published challenge.
    public func open(_ name: String) throws(JudgeError) -> PublishedChallenge {
        let id = try resolve(name)
        try requireFolder()
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

/// Parses Podium's own timestamps (`2026-11-25T14:02:43.237Z`) without a formatter, for loops
/// over many submissions; anything else goes through `parseInstant`.
func storedInstant(_ text: String) -> Date? {
    let u = Array(text.utf8)
    guard u.count == 24, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u[19] == 46, u[23] == 90 else {
        return parseInstant(text)
    }
    func n(_ a: Int, _ b: Int) -> Int? {
        var v = 0
        for i in a..<b {
            let d = Int(u[i]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        return v
    }
    guard let y = n(0, 4), let m = n(5, 7), let d = n(8, 10), let hh = n(11, 13), let mm = n(14, 16), let ss = n(17, 19),
        let ms = n(20, 23)
    else { return parseInstant(text) }
    // Days from the civil date (Howard Hinnant's algorithm).
    let yy = m <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return Date(timeIntervalSince1970: Double(days * 86400 + hh * 3600 + mm * 60 + ss) + Double(ms) / 1000)
}
