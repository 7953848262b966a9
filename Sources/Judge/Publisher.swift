import Checks
import Foundation
import Intake
import Store

/// `podium publish`: validates a challenge folder and snapshots it as a new version.
public enum Publisher {
    public struct Outcome: Sendable {
        public var id: String
        public var version: Int
        public var unchanged: Bool
        public var rescoreDue: Bool
        public var contentHash: String
        /// The dataset checks' findings (blocking ones were allowed).
        public var findings: [Finding] = []
    }

    static let required = ["challenge.yaml", "train.csv", "test.csv", "solution.csv"]
    static let optional = ["teams.csv"]

    /// - Parameter allow: blocking check names the instructor publishes over, with a reason.
    public static func publish(_ folder: String, home: Home, force: Bool, allow: [String: String] = [:]) throws(JudgeError) -> Outcome {
        for name in required where !FileManager.default.fileExists(atPath: "\(folder)/\(name)") {
            throw JudgeError(code: "missing_file", message: "a challenge folder needs \(required.joined(separator: ", ")); \(name) is missing", file: name)
        }
        let config = try ChallengeConfig.load(folder: folder)
        try validate(folder, config)
        let checks = try DatasetChecks.run(folder: folder, config: config)
        let refused = checks.blocked.filter { allow[$0.name] == nil }
        if !refused.isEmpty {
            throw JudgeError(
                code: "leakage_blocked",
                message: refused.map { "\($0.name): \($0.message)" }.joined(separator: "; ")
                    + " — fix the data, or publish with --allow \(refused[0].name) --reason \"…\" if this is intended")
        }
        let files = required + optional.filter { FileManager.default.fileExists(atPath: "\(folder)/\($0)") }
        let store = FileStore(root: "/")
        var manifest = ""
        for name in files.sorted() {
            let digest = try storeCall { () throws(StoreError) in try store.hash("\(folder)/\(name)") }
            manifest += "\(name) \(digest)\n"
        }
        let contentHash = SHA256.hex(Array(manifest.utf8))

        try storeCall { () throws(StoreError) in try makeDirectory(home.folder(config.id)) }
        // One publish of a challenge at a time, from reading its versions to recording the new
        // one: a second run then finds the first's version (`unchanged`) or numbers after it.
        let lock = try lockPublishing(config.id, home: home)
        defer { lock.release() }
        let database = try storeCall { () throws(StoreError) in try ChallengeDatabase(path: home.databasePath(config.id)) }
        let versions = try storeCall { () throws(StoreError) in try database.versions() }
        if let same = versions.first(where: { $0.contentHash == contentHash }) {
            return Outcome(id: config.id, version: same.number, unchanged: true, rescoreDue: false, contentHash: contentHash, findings: checks.findings)
        }
        if !versions.isEmpty && !force {
            throw JudgeError(
                code: "already_published",
                message: "\(config.id) is published (version \(versions.last!.number)) and this folder differs; publish again with --force to make version \(versions.last!.number + 1), then run podium rescore \(config.id)")
        }
        let number = (versions.last?.number ?? 0) + 1
        let target = home.versionFolder(config.id, number)
        try reclaim(target)
        try snapshot(folder, files, into: target)
        let record = VersionRecord(number: number, contentHash: contentHash, publishedAt: timestamp(currentTime()), folder: "versions/\(number)", forced: force)
        try storeCall { () throws(StoreError) in try database.addVersion(record) }
        for finding in checks.blocked {
            try storeCall { () throws(StoreError) in
                try database.allow(version: number, check: finding.name, reason: allow[finding.name]!, at: record.publishedAt)
            }
        }
        return Outcome(id: config.id, version: number, unchanged: false, rescoreDue: number > 1, contentHash: contentHash, findings: checks.findings)
    }

    /// Takes the challenge's publish lock, waiting up to `$PODIUM_LOCK_WAIT` seconds (default
    /// 600) for another publish to end; still held then → `busy`.
    static func lockPublishing(_ id: String, home: Home) throws(JudgeError) -> FileLock {
        let wait = ProcessInfo.processInfo.environment["PODIUM_LOCK_WAIT"].flatMap(Double.init) ?? 600
        let path = home.folder(id) + "/publish.lock"
        guard let lock = try storeCall({ () throws(StoreError) in try FileLock.acquire(path, timeout: wait) }) else {
            throw JudgeError(code: "busy", message: "another podium publish of \(id) has been running for over \(wait) s (\(path) is locked); try again when it ends")
        }
        return lock
    }

    /// A version folder that no version row claims was left by a publish killed between its
    /// rename and its commit; under the publish lock nobody else is writing it: it goes.
    static func reclaim(_ target: String) throws(JudgeError) {
        guard FileManager.default.fileExists(atPath: target) else { return }
        let aside = (target as NSString).deletingLastPathComponent + "/.orphan-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard rename(target, aside) == 0 else {
            throw JudgeError(code: "store_failed", message: "cannot move aside \(target), left by an interrupted publish: \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    /// All four files present and consistent: the solution parses, `test.csv` has exactly the
    /// solution's ids (ranking: its queries), `teams.csv` maps each member once.
    static func validate(_ folder: String, _ config: ChallengeConfig) throws(JudgeError) {
        let solutionBytes = try map("\(folder)/solution.csv", "solution.csv")
        let testBytes = try map("\(folder)/test.csv", "test.csv")
        _ = try map("\(folder)/train.csv", "train.csv")
        let comparison: (missing: [String], missingCount: Int, extra: [String], extraCount: Int)
        let what: String
        do {
            if config.task == .ranking {
                let solution = try RankingSolution.read(
                    solutionBytes, query: config.columns.query, item: config.columns.item, relevance: config.columns.relevance)
                let test = try KeyColumn.read(testBytes, column: config.columns.query, file: "test.csv", unique: false)
                comparison = test.compare(withQueries: solution)
                what = "queries"
            } else {
                let kind: TargetKind = config.task == .binary ? .binary : config.task == .regression ? .number : .category(config.classes)
                let solution = try Solution.read(solutionBytes, id: config.columns.id, target: config.columns.target, kind: kind)
                let test = try KeyColumn.read(testBytes, column: config.columns.id, file: "test.csv", unique: true)
                comparison = test.compare(withSolution: solution)
                what = "ids"
            }
        } catch {
            throw JudgeError(error, file: error.message.contains("test.csv") ? "test.csv" : "solution.csv")
        }
        if comparison.missingCount > 0 || comparison.extraCount > 0 {
            throw JudgeError(
                code: "inconsistent_ids",
                message: mismatch(
                    missing: comparison.missing, missingCount: comparison.missingCount, extra: comparison.extra,
                    extraCount: comparison.extraCount, what: what),
                file: "test.csv")
        }
        if FileManager.default.fileExists(atPath: "\(folder)/teams.csv") {
            _ = try Teams.read(try map("\(folder)/teams.csv", "teams.csv"), strict: true)
        }
    }

    /// The words of `inconsistent_ids` (also `podium check`'s `id_overlap`): how many keys each
    /// file lacks, and the first few.
    static func mismatch(missing: [String], missingCount: Int, extra: [String], extraCount: Int, what: String) -> String {
        var parts: [String] = []
        if missingCount > 0 {
            parts.append("\(missingCount) \(what) of solution.csv are not in test.csv (first: \(missing.joined(separator: ", ")))")
        }
        if extraCount > 0 {
            parts.append("\(extraCount) \(what) of test.csv are not in solution.csv (first: \(extra.joined(separator: ", ")))")
        }
        return parts.joined(separator: "; ")
    }

    static func map(_ path: String, _ name: String) throws(JudgeError) -> ByteBuffer {
        do { return try ByteBuffer(mapping: path) } catch { throw JudgeError(error, file: name) }
    }

    /// Copies the files into a temporary folder, fsyncs them, and renames it into place.
    static func snapshot(_ folder: String, _ files: [String], into target: String) throws(JudgeError) {
        let parent = (target as NSString).deletingLastPathComponent
        let staging = "\(parent)/.staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for name in files {
                try FileManager.default.copyItem(atPath: "\(folder)/\(name)", toPath: "\(staging)/\(name)")
                let fd = open("\(staging)/\(name)", O_RDONLY)
                if fd >= 0 {
                    fsync(fd)
                    close(fd)
                }
                chmod("\(staging)/\(name)", 0o444)
            }
            syncDirectory(staging)
            guard rename(staging, target) == 0 else {
                throw JudgeError(code: "store_failed", message: "cannot create \(target): \(String(cString: strerror(errno)))")
            }
            syncDirectory(parent)
        } catch let error as JudgeError {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            // A read-only or full home is the environment's refusal (exit 1), not a bug.
            let environment: [CocoaError.Code] = [.fileWriteNoPermission, .fileWriteVolumeReadOnly, .fileWriteOutOfSpace, .fileNoSuchFile]
            let refused = (error as? CocoaError).map { environment.contains($0.code) } ?? false
            throw JudgeError(code: refused ? "home_unavailable" : "store_failed", message: "cannot snapshot \(folder) into \(parent): \((error as NSError).localizedDescription)")
        }
    }
}
