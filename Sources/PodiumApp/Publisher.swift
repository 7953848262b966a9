import Foundation
import PodiumChecks
import PodiumDomain
import PodiumTables

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
    public static func publish(_ folder: String, services: Services, force: Bool, allow: [CheckName: String] = [:])
        throws(JudgeError) -> Outcome
    {
        for name in required where !FileManager.default.fileExists(atPath: "\(folder)/\(name)") {
            throw JudgeError(
                code: .missingFile,
                message: "a challenge folder needs \(required.joined(separator: ", ")); \(name) is missing", file: name)
        }
        let config = try ChallengeConfig.load(folder: folder)
        try validate(folder, config, Reading(parallelism: services.parallelism))
        try checkTeamsAgainstAccounts(folder, services)
        let checks = try DatasetChecks.run(folder: folder, config: config, parallelism: services.parallelism)
        let refused = checks.blocked.filter { allow[$0.name] == nil }
        if !refused.isEmpty {
            var error = JudgeError(
                code: .leakageBlocked, message: refused.map { "\($0.name): \($0.message)" }.joined(separator: "; "))
            error.checks = refused.map(\.name)
            throw error
        }
        let files = required + optional.filter { FileManager.default.fileExists(atPath: "\(folder)/\($0)") }
        var manifest = ""
        for name in files.sorted() {
            manifest += "\(name) \(try services.blobs.hash(file: "\(folder)/\(name)"))\n"
        }
        let contentHash = Array(manifest.utf8).withUnsafeBytes { services.blobs.hash(bytes: $0) }

        // One publish of a challenge at a time, from reading its versions to recording the new
        // one: a second run then finds the first's version (`unchanged`) or numbers after it.
        let id = config.id
        let outcome = try services.challenges.whilePublishing(id, wait: services.publishLockWait) {
            () throws(JudgeError) in
            let records = try services.challenges.create(id)
            let versions = try records.versions()
            if let same = versions.first(where: { $0.contentHash == contentHash }) {
                return Outcome(
                    id: id, version: same.number, unchanged: true, rescoreDue: false, contentHash: contentHash,
                    findings: checks.findings)
            }
            if let last = versions.last, !force {
                throw JudgeError(
                    code: .alreadyPublished,
                    message: "\(id) is published (version \(last.number)) and this folder differs")
            }
            let number = (versions.last?.number ?? 0) + 1
            // The description goes with the version (pages and the API show it) but is not part of
            // its content hash: editing only the README never makes a new version to re-score.
            let readme = FileManager.default.fileExists(atPath: "\(folder)/README.md") ? ["README.md"] : []
            try services.blobs.snapshot(folder, files: files + readme, challenge: id, version: number)
            let record = VersionRecord(
                number: number, contentHash: contentHash, publishedAt: Instants.timestamp(services.clock.now()),
                folder: "versions/\(number)", forced: force)
            var allowances: [CheckName: String] = [:]
            for finding in checks.blocked { allowances[finding.name] = allow[finding.name] }
            try records.addVersion(record, allowances: allowances)
            return Outcome(
                id: id, version: number, unchanged: false, rescoreDue: number > 1, contentHash: contentHash,
                findings: checks.findings)
        }
        if !outcome.unchanged { audit(outcome, force: force, allowed: checks.blocked, allow: allow, services) }
        return outcome
    }

    /// The trail's line of a new version: forced or not, and each blocking check published over.
    static func audit(
        _ outcome: Outcome, force: Bool, allowed: [Finding], allow: [CheckName: String], _ services: Services
    ) {
        var detail = "version \(outcome.version) (content \(outcome.contentHash.prefix(12)))"
        if outcome.version > 1 { detail += force ? ", forced over version \(outcome.version - 1)" : "" }
        for finding in allowed {
            detail += "; published over \(finding.name.rawValue): \(allow[finding.name] ?? "")"
        }
        AuditTrail.record(
            .publish, challenge: outcome.id, subject: "v\(outcome.version)", detail: detail, services: services)
    }

    /// All four files present and consistent: the solution parses, `test.csv` has exactly the
    /// solution's ids (ranking: its queries), `teams.csv` maps each member once.
    static func validate(_ folder: String, _ config: ChallengeConfig, _ reading: Reading) throws(JudgeError) {
        let solutionBytes = try map("\(folder)/solution.csv", "solution.csv")
        let testBytes = try map("\(folder)/test.csv", "test.csv")
        _ = try map("\(folder)/train.csv", "train.csv")
        let comparison: (missing: [String], missingCount: Int, extra: [String], extraCount: Int)
        let what: String
        do {
            if config.task == .ranking {
                let solution = try RankingSolution.read(
                    solutionBytes, query: config.columns.query, item: config.columns.item,
                    relevance: config.columns.relevance,
                    reading: reading)
                let test = try KeyColumn.read(testBytes, column: config.columns.query, file: "test.csv", unique: false)
                comparison = test.compare(withQueries: solution)
                what = "queries"
            } else {
                let kind: TargetKind =
                    config.task == .binary ? .binary : config.task == .regression ? .number : .category(config.classes)
                let solution = try Solution.read(
                    solutionBytes, id: config.columns.id, target: config.columns.target, kind: kind, reading: reading)
                let test = try KeyColumn.read(testBytes, column: config.columns.id, file: "test.csv", unique: true)
                comparison = test.compare(withSolution: solution)
                what = "ids"
            }
        } catch {
            throw JudgeError(error, file: error.message.contains("test.csv") ? "test.csv" : "solution.csv")
        }
        if comparison.missingCount > 0 || comparison.extraCount > 0 {
            throw JudgeError(
                code: .inconsistentIds,
                message: IdMismatch.words(
                    missing: comparison.missing, missingCount: comparison.missingCount, extra: comparison.extra,
                    extraCount: comparison.extraCount, what: what),
                file: "test.csv")
        }
        if FileManager.default.fileExists(atPath: "\(folder)/teams.csv") {
            _ = try Teams.read(try map("\(folder)/teams.csv", "teams.csv"), strict: true)
        }
    }

    /// DESIGN §7: a team name never equals an account name (else that account would read the
    /// team's submissions as its own).
    static func checkTeamsAgainstAccounts(_ folder: String, _ services: Services) throws(JudgeError) {
        guard let accounts = services.accounts, FileManager.default.fileExists(atPath: "\(folder)/teams.csv") else {
            return
        }
        let teams = try Teams.read(try map("\(folder)/teams.csv", "teams.csv"), strict: true)
        for name in teams.names.sorted() where try accounts.account(named: name) != nil {
            throw JudgeError(
                code: .invalidChallenge,
                message: "teams.csv names a team '\(name)', which is the name of an account: rename the team",
                file: "teams.csv")
        }
    }

    static func map(_ path: String, _ name: String) throws(JudgeError) -> InputBytes {
        do { return try InputBytes(mapping: path) } catch { throw JudgeError(error, file: name) }
    }
}
