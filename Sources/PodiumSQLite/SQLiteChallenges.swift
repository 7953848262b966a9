import Foundation
import PodiumApp
import PodiumDomain
import PodiumSystem

/// The challenge repository on SQLite: one database per challenge, `<home>/<id>/podium.sqlite`
/// (WAL, busy timeout), beside the home folder's files and snapshots.
public struct SQLiteChallenges: ChallengeRepository {
    public let root: String
    /// Databases opened by this repository, kept open (a server opens each one once).
    let open = Locked<[String: ChallengeDatabase]>([:])

    public init(root: String) { self.root = root }

    /// The open database of a challenge, opening it the first time.
    func database(_ challenge: String) throws(JudgeError) -> ChallengeDatabase {
        if let db = open.withLock({ $0[challenge] }) { return db }
        let db = try ChallengeDatabase(path: databasePath(challenge))
        return open.withLock { cache in
            if let existing = cache[challenge] { return existing }
            cache[challenge] = db
            return db
        }
    }

    func folder(_ id: String) -> String { "\(root)/\(id)" }
    func databasePath(_ id: String) -> String { "\(folder(id))/podium.sqlite" }

    /// The home must be an existing folder: anything else is the environment's refusal
    /// (`home_unavailable`), not a bug.
    func requireHome() throws(JudgeError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder) else {
            throw JudgeError(code: .homeUnavailable, message: "the home folder \(root) does not exist")
        }
        guard isFolder.boolValue else {
            throw JudgeError(code: .homeUnavailable, message: "the home \(root) is a file, not a folder")
        }
    }

    public func records(_ challenge: String) throws(JudgeError) -> (any ChallengeRecords)? {
        try requireHome()
        guard FileManager.default.fileExists(atPath: databasePath(challenge)) else { return nil }
        return try database(challenge)
    }

    public func create(_ challenge: String) throws(JudgeError) -> any ChallengeRecords {
        try makeFolder(folder(challenge))
        return try database(challenge)
    }

    public func challengeIds() throws(JudgeError) -> [String] {
        try requireHome()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: databasePath($0)) }.sorted()
    }

    /// One publish of a challenge at a time across processes: `flock` on `publish.lock`.
    public func whilePublishing<T>(_ challenge: String, wait: Double, _ body: () throws(JudgeError) -> T)
        throws(JudgeError) -> T
    {
        try makeFolder(folder(challenge))
        let path = folder(challenge) + "/publish.lock"
        guard let lock = try FileLock.acquire(path, timeout: wait) else {
            throw JudgeError(
                code: .busy,
                message:
                    "another publish of \(challenge) has been running for over \(Int(wait)) s (\(path) is locked); "
                    + "try again when it ends"
            )
        }
        defer { lock.release() }
        return try body()
    }

    func makeFolder(_ path: String) throws(JudgeError) { try makeDirectory(path) }
}
