import Foundation
import PodiumDomain
import PodiumTables

/// `podium users`: accounts of the course, their one-time invite codes and API tokens
/// (DESIGN §7). Secrets are 32 random bytes from the system's generator, printed once, stored
/// only as their SHA-256.
public enum Accounts {
    /// An invite is valid this long.
    public static let inviteDays = 7.0

    /// A new account's invite: the code, printed once, and until when it is valid.
    public struct Invite: Sendable, Equatable {
        public var account: Account
        public var code: String
        public var expiresAt: String
    }

    /// One line of a roster import: created with a new invite, or already present (untouched).
    public struct RosterLine: Sendable, Equatable {
        public var name: String
        public var invite: Invite?
    }

    public static func add(
        _ raw: String, role: Account.Role, display: String?, email: String?, services: Services
    ) throws(JudgeError) -> Invite {
        let store = try accountStore(services)
        let account = try validated(
            raw, role: role, display: display, email: email, teams: try teamNames(services), services: services)
        let (code, secret) = newSecret(prefix: "inv_", services: services, validDays: inviteDays)
        try store.add(account, invite: secret)
        audit(
            .accountAdd, account.name, "added \(account.role.rawValue) \(account.name); invite valid 7 days", services)
        return Invite(account: account, code: code, expiresAt: secret.expiresAt ?? "")
    }

    /// Imports a roster as an LMS exports it: `name[,display,email,role]`. Names already present
    /// are left as they are (the import can be run again); every row is checked before any is
    /// added, so a bad row adds nobody.
    public static func importRoster(_ path: String, services: Services) throws(JudgeError) -> [RosterLine] {
        let store = try accountStore(services)
        let rows: [[String: String]]
        do {
            rows = try TextRows.read(
                try InputBytes(mapping: path), required: ["name"], optional: ["display", "email", "role"],
                file: (path as NSString).lastPathComponent)
        } catch {
            throw JudgeError(error, file: (path as NSString).lastPathComponent)
        }
        let teams = try teamNames(services)
        var planned: [(account: Account, code: String, secret: StoredSecret)] = []
        var seen: Set<String> = []
        for (k, row) in rows.enumerated() {
            let line = k + 2
            let roleText = (row["role"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard let role = roleText.isEmpty ? .student : Account.Role(rawValue: roleText) else {
                throw JudgeError(
                    code: .invalidAccount,
                    message: "role '\(Names.visible(roleText))' is neither student nor instructor",
                    row: line, column: "role")
            }
            let account: Account
            do {
                account = try validated(
                    row["name"] ?? "", role: role, display: nonEmpty(row["display"]), email: nonEmpty(row["email"]),
                    teams: teams, services: services)
            } catch {
                var located = error
                located.row = line
                throw located
            }
            guard seen.insert(account.name).inserted else {
                throw JudgeError(
                    code: .alreadyExists, message: "'\(account.name)' is twice in the roster", row: line, column: "name"
                )
            }
            let (code, secret) = newSecret(prefix: "inv_", services: services, validDays: inviteDays)
            planned.append((account, code, secret))
        }
        // One transaction: two imports at once add each name once, and nobody is half added.
        let created = Set(try store.addAll(planned.map { ($0.account, $0.secret) }))
        let file = (path as NSString).lastPathComponent
        for p in planned where created.contains(p.account.name) {
            audit(
                .accountAdd, p.account.name,
                "added \(p.account.role.rawValue) \(p.account.name) from the roster \(file)",
                services)
        }
        if planned.count > created.count {
            audit(
                .accountImport, nil,
                "roster \(file): \(created.count) added, \(planned.count - created.count) already present and left as they were",
                services)
        }
        return planned.map { p in
            RosterLine(
                name: p.account.name,
                invite: created.contains(p.account.name)
                    ? Invite(account: p.account, code: p.code, expiresAt: p.secret.expiresAt ?? "") : nil)
        }
    }

    /// A new invite for an account whose code was lost or expired; the unused ones are revoked.
    public static func reinvite(_ raw: String, services: Services) throws(JudgeError) -> Invite {
        let store = try accountStore(services)
        let name = try existing(raw, store)
        guard let account = try store.account(named: name), !account.disabled else {
            throw JudgeError(code: .unknownAccount, message: "the account '\(name)' is disabled")
        }
        let (code, secret) = newSecret(prefix: "inv_", services: services, validDays: inviteDays)
        try store.replaceInvite(of: name, with: secret)
        audit(.inviteReissue, name, "a new invite for \(name); the unused ones revoked", services)
        return Invite(account: account, code: code, expiresAt: secret.expiresAt ?? "")
    }

    public static func list(services: Services) throws(JudgeError) -> [Account] {
        try accountStore(services).accounts()
    }

    /// Disables an account: its tokens and invites are revoked, its submissions kept.
    public static func remove(_ raw: String, services: Services) throws(JudgeError) {
        let store = try accountStore(services)
        let name = try existing(raw, store)
        if try store.disable(name, at: Instants.timestamp(services.clock.now())) {
            audit(.accountRemove, name, "disabled \(name): its tokens and invites revoked, submissions kept", services)
        }
    }

    /// A new API token for an enabled account (a course without the web pages), printed once.
    public static func issueToken(_ raw: String, services: Services) throws(JudgeError) -> String {
        let store = try accountStore(services)
        let name = try existing(raw, store)
        guard try store.account(named: name)?.disabled == false else {
            throw JudgeError(code: .unknownAccount, message: "the account '\(name)' is disabled")
        }
        var (token, secret) = newSecret(prefix: "pod_", services: services, validDays: nil)
        secret.label = "podium users token"
        try store.addToken(of: name, secret)
        audit(.tokenIssue, name, "an API token for \(name) (\(tokenId(secret)))", services)
        return token
    }

    /// The enabled account behind a token (what the server's authentication will ask).
    public static func account(token: String, services: Services) throws(JudgeError) -> Account? {
        try accountStore(services).account(
            tokenSHA256: digest(token, services), at: Instants.timestamp(services.clock.now()))
    }

    /// A password is at least this long (DESIGN §7).
    public static let minimumPasswordLength = 10
    /// After this many failed logins for one name within `throttleWindow` seconds, it is refused.
    public static let failedLoginLimit = 10
    public static let throttleWindow = 15.0 * 60

    /// A student opens their invite and sets a password: the invite must be live, unused and
    /// unexpired, and is used up.
    public static func redeem(invite code: String, password: String, services: Services) throws(JudgeError) -> Account {
        let store = try accountStore(services)
        let hasher = try passwordHasher(services)
        guard password.count >= minimumPasswordLength else {
            throw JudgeError(
                code: .weakPassword, message: "a password has at least \(minimumPasswordLength) characters")
        }
        let hash = hasher.hash(password)
        guard
            let account = try store.redeem(
                inviteSHA256: digest(code, services), passwordHash: hash, at: Instants.timestamp(services.clock.now()))
        else {
            throw JudgeError(code: .invalidInvite, message: "this invite is unknown, used, expired or revoked")
        }
        AuditTrail.record(
            .inviteRedeem, challenge: nil, subject: account.name,
            detail: "\(account.name) used the invite and set a password", services: services,
            actor: Actor(name: account.name, via: services.actor.via))
        return account
    }

    /// Logs in with a name and a password and issues an API token (what `podium login` and the
    /// web login call). A wrong name and a wrong password look alike, cost alike (a hash is
    /// checked either way) and count alike: after 10 failures for a name within 15 minutes
    /// that name is refused (`too_many_attempts`) until they age out.
    public static func login(
        _ raw: String, password: String, services: Services, label: String = "api", validDays: Double? = nil
    ) throws(JudgeError)
        -> (account: Account, token: String)
    {
        let store = try accountStore(services)
        let hasher = try passwordHasher(services)
        let now = services.clock.now()
        let key = Names.canonical(raw) ?? String(Names.trimmed(raw).lowercased().prefix(80))
        let since = Instants.timestamp(now.addingTimeInterval(-throttleWindow))
        guard try store.failedLogins(key, since: since) < failedLoginLimit else {
            throw JudgeError(
                code: .tooManyAttempts,
                message: "too many failed logins for this name; try again in \(Int(throttleWindow / 60)) minutes")
        }
        let stored = try Names.canonical(raw).flatMap { name throws(JudgeError) in try store.passwordHash(of: name) }
        // Without a stored hash, check against a fresh one anyway: the answer takes as long.
        let matches = hasher.verify(password, against: stored ?? hasher.hash(key + "\u{0}"))
        guard stored != nil, matches, let account = try store.account(named: key), !account.disabled else {
            try store.recordFailedLogin(key, at: Instants.timestamp(now))
            throw JudgeError(code: .badCredentials, message: "wrong name or password")
        }
        var (token, secret) = newSecret(prefix: "pod_", services: services, validDays: validDays)
        secret.label = label
        try store.addToken(of: account.name, secret)
        return (account, token)
    }

    /// Revokes the token in use (logout); false when it was not live.
    public static func revoke(token: String, services: Services) throws(JudgeError) -> Bool {
        let owner = try account(token: token, services: services)
        let sha = digest(token, services)
        let revoked = try accountStore(services).revokeToken(sha256: sha, at: Instants.timestamp(services.clock.now()))
        if revoked, let owner {
            audit(
                .tokenRevoke, owner.name,
                "revoked the token in use (\(sha.prefix(TokenRecord.idLength))) of \(owner.name): signed out", services)
        }
        return revoked
    }

    /// An account's live tokens.
    public static func tokens(of name: String, services: Services) throws(JudgeError) -> [TokenRecord] {
        try accountStore(services).tokens(of: name, at: Instants.timestamp(services.clock.now()))
    }

    /// A new API token made on the account page, named by its owner; printed once.
    public static func createToken(of name: String, label: String, services: Services) throws(JudgeError) -> String {
        let clean = String(label.unicodeScalars.filter { !unsafe($0) }.prefix(60).map(Character.init))
        var (token, secret) = newSecret(prefix: "pod_", services: services, validDays: nil)
        secret.label = clean.isEmpty ? "api" : clean
        try accountStore(services).addToken(of: name, secret)
        audit(.tokenCreate, name, "an API token '\(secret.label ?? "api")' for \(name) (\(tokenId(secret)))", services)
        return token
    }

    /// Revokes one of an account's own tokens by its listed id.
    public static func revokeToken(of name: String, id: String, services: Services) throws(JudgeError) -> Bool {
        let revoked = try accountStore(services).revokeToken(
            of: name, id: id, at: Instants.timestamp(services.clock.now()))
        if revoked {
            audit(.tokenRevoke, name, "revoked the token \(id.prefix(TokenRecord.idLength)) of \(name)", services)
        }
        return revoked
    }

    /// An account change in the trail, by the services' actor.
    static func audit(_ action: AuditAction, _ name: String?, _ detail: String, _ services: Services) {
        AuditTrail.record(action, challenge: nil, subject: name, detail: detail, services: services)
    }

    /// How the account page names a token: the first characters of its hash.
    static func tokenId(_ secret: StoredSecret) -> String { String(secret.sha256.prefix(TokenRecord.idLength)) }

    static func passwordHasher(_ services: Services) throws(JudgeError) -> any PasswordHasher {
        guard let hasher = services.passwords else {
            var error = JudgeError(code: .internalFailure, message: "no password hasher is configured")
            error.isInternal = true
            throw error
        }
        return hasher
    }

    // MARK: rules

    /// Every team name of the published challenges: team → challenge.
    static func teamNames(_ services: Services) throws(JudgeError) -> [String: String] {
        var teams: [String: String] = [:]
        for id in try services.challenges.challengeIds() {
            for team in try Submitter.teamNames(try services.open(id)) { teams[team] = id }
        }
        return teams
    }

    static func validated(
        _ raw: String, role: Account.Role, display: String?, email: String?, teams: [String: String],
        services: Services
    ) throws(JudgeError) -> Account {
        guard let name = Names.canonical(raw) else {
            throw JudgeError(code: .invalidName, message: Names.refusal(raw, what: "the account name"), column: "name")
        }
        let shown = (display ?? name).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !shown.isEmpty, shown.unicodeScalars.count <= 80,
            !shown.unicodeScalars.contains(where: unsafe)
        else {
            throw JudgeError(
                code: .invalidAccount,
                message: "a display name is 1 to 80 characters without control or format characters",
                column: "display")
        }
        if let email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
                !email.unicodeScalars.contains(where: { $0.properties.isWhitespace || unsafe($0) })
            else {
                throw JudgeError(
                    code: .invalidAccount, message: "'\(Names.visible(email))' is not an e-mail address",
                    column: "email")
            }
        }
        // DESIGN §7: a team name never equals an account name.
        if let id = teams[name] {
            throw JudgeError(
                code: .invalidName,
                message: "'\(name)' is a team of the challenge \(id): an account cannot share its name",
                column: "name")
        }
        return Account(
            name: name, role: role, display: shown, email: email, createdAt: Instants.timestamp(services.clock.now()))
    }

    /// Control and format characters (C0, DEL, C1, bidi overrides, zero-width): never in a
    /// display name or an address.
    static func unsafe(_ scalar: Unicode.Scalar) -> Bool {
        let category = scalar.properties.generalCategory
        return category == .control || category == .format
    }

    static func existing(_ raw: String, _ store: any AccountStore) throws(JudgeError) -> String {
        guard let name = Names.canonical(raw), try store.account(named: name) != nil else {
            throw JudgeError(code: .unknownAccount, message: "there is no account '\(Names.visible(raw))'")
        }
        return name
    }

    static func accountStore(_ services: Services) throws(JudgeError) -> any AccountStore {
        guard let store = services.accounts else {
            var error = JudgeError(code: .internalFailure, message: "this home has no account store")
            error.isInternal = true
            throw error
        }
        return store
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    /// `prefix` + 43 base64url characters (32 random bytes), and how it is stored.
    static func newSecret(prefix: String, services: Services, validDays: Double?) -> (String, StoredSecret) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = prefix + base64URL(bytes)
        let now = services.clock.now()
        return (
            text,
            StoredSecret(
                sha256: digest(text, services), createdAt: Instants.timestamp(now),
                expiresAt: validDays.map { Instants.timestamp(now.addingTimeInterval($0 * 86_400)) })
        )
    }

    static func digest(_ secret: String, _ services: Services) -> String {
        Array(secret.utf8).withUnsafeBytes { services.blobs.hash(bytes: $0) }
    }

    /// Base64 with the URL alphabet and no padding (RFC 4648 §5).
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
