import PodiumDomain

// The audit trail's port and values: every instructor action and every refusal by a limit,
// with who, when and what, append-only and chained by hashes (each event's hash covers the
// previous one's), so an event removed or edited by hand breaks the chain where it was.

/// Who acted, as the trail names them: an account (or, on one machine without accounts, the
/// operator's login name), and through what.
public struct Actor: Sendable, Equatable, Codable {
    public enum Channel: String, Sendable, Codable, CaseIterable {
        /// The command line on the course's machine.
        case commandLine = "cli"
        /// The HTTP API (the remote command line, a script, a notebook).
        case api
        /// The web pages.
        case web
        /// Podium itself (a check holding a submission, a worker).
        case system
    }

    public var name: String
    public var via: Channel

    public init(name: String, via: Channel) {
        self.name = name
        self.via = via
    }

    /// Podium itself.
    public static let podium = Actor(name: "podium", via: .system)
}

/// What happened. Stable names: scripts filter on them.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case publish
    case rescore
    case clear
    case hold
    case select
    /// A submission refused by a limit or the opening date (`limit_reached`, `not_open`).
    case refused
    case accountAdd = "account_add"
    case accountImport = "account_import"
    case accountRemove = "account_remove"
    case inviteReissue = "invite_reissue"
    case inviteRedeem = "invite_redeem"
    case tokenIssue = "token_issue"
    case tokenCreate = "token_create"
    case tokenRevoke = "token_revoke"
    case backup
    case restore
}

/// One event as a use case records it.
public struct AuditEntry: Sendable, Equatable {
    /// ISO 8601 UTC, from the services' clock.
    public var at: String
    public var actor: Actor
    public var action: AuditAction
    /// The challenge it concerns (`nil`: the course, e.g. an account change).
    public var challenge: String?
    /// What it acted on: a submission number, an account name, a version.
    public var subject: String?
    /// One line a person reads: what changed and why.
    public var detail: String

    public init(
        at: String, actor: Actor, action: AuditAction, challenge: String?, subject: String?, detail: String
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.challenge = challenge
        self.subject = subject
        self.detail = detail
    }

    /// The text its hash covers, after the previous event's hash: every field, each on its own
    /// line (no field can hold a line break: `OneLine` made them one line).
    public func chained(after previous: String) -> String {
        [
            previous, at, actor.name, actor.via.rawValue, action.rawValue, challenge ?? "", subject ?? "", detail,
        ].joined(separator: "\n")
    }
}

/// A stored event: its place in the trail and the chain's hash up to it.
public struct AuditEvent: Sendable, Equatable {
    public var seq: Int64
    public var entry: AuditEntry
    /// SHA-256 (hex) of `entry.chained(after: previous event's hash)`.
    public var hash: String

    public init(seq: Int64, entry: AuditEntry, hash: String) {
        self.seq = seq
        self.entry = entry
        self.hash = hash
    }

    /// An event as a store read it back; an action or channel this program does not know is
    /// `database_error` (a newer Podium wrote it).
    public static func stored(
        seq: Int64, at: String, actor: String, via: String, action: String, challenge: String?, subject: String?,
        detail: String, hash: String
    ) throws(JudgeError) -> AuditEvent {
        guard let channel = Actor.Channel(rawValue: via), let kind = AuditAction(rawValue: action) else {
            throw JudgeError(
                code: .databaseError,
                message: "audit event \(seq) has an action or channel this Podium does not know (\(action), \(via)): "
                    + "it was written by a newer Podium")
        }
        return AuditEvent(
            seq: seq,
            entry: AuditEntry(
                at: at, actor: Actor(name: actor, via: channel), action: kind, challenge: challenge, subject: subject,
                detail: detail),
            hash: hash)
    }
}

/// The course's audit trail (one for every challenge: account changes belong to none).
public protocol AuditLog: Sendable {
    /// Appends an event in one transaction with reading the last one's hash: `link` turns the
    /// previous hash ("" for the first event) into the new event's. Nothing is ever updated or
    /// deleted (the store refuses it).
    @discardableResult
    func append(_ entry: AuditEntry, link: (String) -> String) throws(JudgeError) -> AuditEvent
    /// The events in order (one challenge's, or all), the last `limit` of them when given.
    func events(challenge: String?, limit: Int?) throws(JudgeError) -> [AuditEvent]
}
