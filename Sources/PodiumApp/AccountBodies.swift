/// `podium users add --json` and each created line of `podium users import --json`.
public struct InviteBody: Encodable, Sendable, Equatable {
    public var name: String
    public var role: Account.Role
    public var code: String
    public var expiresAt: String
    public var link: String?

    public init(_ invite: Accounts.Invite, publicURL: String?) {
        name = invite.account.name
        role = invite.account.role
        code = invite.code
        expiresAt = invite.expiresAt
        link = publicURL.map { Accounts.inviteLink($0, code: invite.code) }
    }

    enum CodingKeys: String, CodingKey {
        case name, role, code
        case expiresAt = "expires_at"
        case link
    }
}

/// `podium users import --json`: who was created (their codes are in the invites file only)
/// and who was already there.
public struct ImportBody: Encodable, Sendable, Equatable {
    public var created: [String]
    public var present: [String]
    /// Where the invites were written (mode 0600), when any was created.
    public var invites: String?

    public init(created: [String], present: [String], invites: String?) {
        self.created = created
        self.present = present
        self.invites = invites
    }
}

extension Accounts {
    /// `URL/invite/CODE`.
    public static func inviteLink(_ publicURL: String, code: String) -> String {
        (publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL) + "/invite/" + code
    }
}
