import Foundation
import PodiumChecks
import PodiumDomain
import PodiumParallel

/// Everything a use case needs from outside, built once by a composition root (the command
/// line, the server, a worker, a test) and passed in: the ports' adapters and the settings.
/// No use case reads the environment or a process-wide switch.
public struct Services: Sendable {
    public var challenges: any ChallengeRepository
    public var blobs: any BlobStore
    public var sandbox: any SandboxRunner
    public var clock: any WallClock
    /// How many cores one evaluation may use (a re-score running N at once gives each one).
    public var parallelism: Parallelism
    /// Parsed answer keys shared by the evaluations of this process (a re-score reads one
    /// solution once); `nil` reads it for every evaluation.
    public var solutions: SolutionCache?
    /// How long a publish waits for another publish of the same challenge.
    public var publishLockWait: Double
    /// The course's accounts (`nil`: a home without them, one trusted operator).
    public var accounts: (any AccountStore)?
    /// How passwords are hashed (`nil` where no password is ever set or checked).
    public var passwords: (any PasswordHasher)?
    /// The queue several machines share (PostgreSQL); `nil`: this process's own queue (SQLite).
    public var queue: (any SharedQueue)?
    /// The course's audit trail (`nil`: nothing is recorded).
    public var audit: (any AuditLog)?
    /// Who acts through these services (the trail's "who"): the operator on the command line,
    /// the signed-in account on the server (`UseCases.acting(as:)`).
    public var actor = Actor(name: "operator", via: .commandLine)
    /// Where a problem that must not fail the action goes (the trail not written): the
    /// command line's standard error by default, the server's log.
    public var warn: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("podium: warning: \(message)\n".utf8))
    }

    public init(
        challenges: any ChallengeRepository, blobs: any BlobStore, sandbox: any SandboxRunner,
        clock: any WallClock = SystemClock(), parallelism: Parallelism = .allCores, solutions: SolutionCache? = nil,
        publishLockWait: Double = 600, accounts: (any AccountStore)? = nil
    ) {
        self.challenges = challenges
        self.blobs = blobs
        self.sandbox = sandbox
        self.clock = clock
        self.parallelism = parallelism
        self.solutions = solutions
        self.publishLockWait = publishLockWait
        self.accounts = accounts
    }

    /// The same services acting for `actor`.
    public func acting(as actor: Actor) -> Services {
        var copy = self
        copy.actor = actor
        return copy
    }

    /// How scoring runs under these services.
    public var scoring: ScoringSettings { ScoringSettings(parallelism: parallelism, solutions: solutions) }

    /// The id of a challenge named by its id or by a challenge folder (one with challenge.yaml).
    public func resolve(_ name: String) throws(JudgeError) -> String {
        if FileManager.default.fileExists(atPath: (name as NSString).appendingPathComponent("challenge.yaml")) {
            return try ChallengeConfig.load(folder: name).id
        }
        return name
    }

    /// Opens a published challenge: its records, current version and configuration.
    public func open(_ name: String) throws(JudgeError) -> PublishedChallenge {
        let id = try resolve(name)
        guard let records = try challenges.records(id) else {
            throw JudgeError(code: .unknownChallenge, message: "no challenge '\(id)' is published")
        }
        guard let version = try records.latestVersion() else {
            throw JudgeError(code: .unknownChallenge, message: "the challenge '\(id)' has no published version")
        }
        let config = try ChallengeConfig.load(folder: blobs.versionFolder(id, version.number))
        return PublishedChallenge(id: id, records: records, version: version, config: config, blobs: blobs)
    }
}

/// A published challenge: its records, its current version and that version's configuration.
public struct PublishedChallenge: Sendable {
    public let id: String
    public let records: any ChallengeRecords
    public let version: VersionRecord
    public let config: ChallengeConfig
    let blobs: any BlobStore

    /// The local folder of a version's files.
    public func folder(_ version: Int) -> String { blobs.versionFolder(id, version) }

    /// The configuration of a version (the current one's is `config`).
    public func config(of version: Int) throws(JudgeError) -> ChallengeConfig {
        version == self.version.number ? config : try ChallengeConfig.load(folder: folder(version))
    }

    /// Whether the competition has closed at `now`.
    public func closed(at now: Date) -> Bool { config.closes.map { now > $0 } ?? false }

    /// The blocking checks the current version was published over: check → reason.
    public func allowances() throws(JudgeError) -> [CheckName: String] {
        try records.allowances(version: version.number)
    }
}
