import PodiumChecks
import PodiumDomain

/// `podium publish --json`: the version published (or found unchanged) and the dataset checks' findings.
public struct PublishBody: Encodable, Sendable, Equatable {
    public enum Status: String, Encodable, Sendable { case published, unchanged }

    public var status: Status
    public var challenge: String
    public var version: Int
    public var contentHash: String
    /// The data changed: stored submissions wait for `podium rescore`.
    public var rescoreDue: Bool
    public var findings: [FindingBody]

    enum CodingKeys: String, CodingKey {
        case status, challenge, version
        case contentHash = "content_hash"
        case rescoreDue = "rescore_due"
        case findings
    }

    public init(_ outcome: Publisher.Outcome) {
        status = outcome.unchanged ? .unchanged : .published
        challenge = outcome.id
        version = outcome.version
        contentHash = outcome.contentHash
        rescoreDue = outcome.rescoreDue
        findings = outcome.findings.map(FindingBody.init)
    }
}

/// `podium check --json`: a challenge's dataset checks and, for a published challenge, the
/// submissions a check flagged (absent for a folder).
public struct CheckBody: Encodable, Sendable, Equatable {
    public var challenge: String
    /// A finding blocks that was not published over.
    public var blocked: Bool
    public var findings: [FindingBody]
    public var checksRun: [CheckName]
    /// The blocking checks the version was published over: check name → reason.
    public var allowed: [String: String]
    public var flaggedSubmissions: [FlaggedSubmission]?

    enum CodingKeys: String, CodingKey {
        case challenge, blocked, findings
        case checksRun = "checks_run"
        case allowed
        case flaggedSubmissions = "flagged_submissions"
    }

    public init(_ report: DatasetChecks.Report, flagged: [FlaggedSubmission]?) {
        challenge = report.challenge
        blocked = !report.refused.isEmpty
        findings = report.findings.map(FindingBody.init)
        checksRun = report.checksRun
        allowed = Dictionary(uniqueKeysWithValues: report.allowed.map { ($0.key.rawValue, $0.value) })
        flaggedSubmissions = flagged
    }
}

/// `podium select --json`: a team's final submissions.
public struct SelectionBody: Encodable, Sendable, Equatable {
    public var team: String
    public var selected: [Int64]

    public init(team: String, selected: [Int64]) {
        self.team = team
        self.selected = selected
    }
}

/// `podium clear --json`: the submission returned to the public board.
public struct ClearedBody: Encodable, Sendable, Equatable {
    public var cleared: Int64

    public init(cleared: Int64) { self.cleared = cleared }
}
