import Foundation
import PodiumApp
import PodiumDomain
import PostgresNIO

/// The course's accounts in PostgreSQL (`account`, `secret`, `failed_login`), behaviour for
/// behaviour the SQLite `AccountDatabase`: secrets are stored only as SHA-256 hashes and found
/// by an index search on the hash, so no comparison of secrets runs in this process. Names and
/// instants are compared and ordered byte by byte (`COLLATE "C"`), as SQLite does, whatever the
/// database's collation.
public struct PostgresAccounts: AccountStore {
    public let pool: Pool

    public init(pool: Pool) { self.pool = pool }

    /// The columns `account(_:)` reads, in its order.
    static let columns = "a.name, a.role, a.display, a.email, a.created_at, a.disabled_at"

    static func account(_ row: PostgresRow) throws(JudgeError) -> Account {
        let (name, role, display, email, createdAt, disabledAt) = try row.values(
            (String, String, String, String?, String, String?).self)
        return Account(
            name: name, role: Account.Role(rawValue: role) ?? .student, display: display, email: email,
            createdAt: createdAt, disabled: disabledAt != nil)
    }

    public func add(_ account: Account, invite: StoredSecret) throws(JudgeError) {
        try pool.transaction { (c: Connection) throws(JudgeError) in
            guard try Self.insert(c, account) else {
                throw JudgeError(code: .alreadyExists, message: "an account named '\(account.name)' exists")
            }
            try Self.insert(c, invite, kind: "invite", name: account.name)
        }
    }

    public func addAll(_ accounts: [(Account, StoredSecret)]) throws(JudgeError) -> [String] {
        try pool.transaction { (c: Connection) throws(JudgeError) -> [String] in
            var created: [String] = []
            for (account, invite) in accounts {
                guard try Self.insert(c, account) else { continue }
                try Self.insert(c, invite, kind: "invite", name: account.name)
                created.append(account.name)
            }
            return created
        }
    }

    /// Inserts the account unless its name is taken (then nothing, and false): a concurrent
    /// insert of the same name waits for this one and finds it taken.
    static func insert(_ c: Connection, _ account: Account) throws(JudgeError) -> Bool {
        let role = account.role.rawValue
        return try c.execute(
            """
            INSERT INTO account (name, role, display, email, created_at)
            VALUES (\(account.name), \(role), \(account.display), \(account.email), \(account.createdAt))
            ON CONFLICT (name) DO NOTHING
            """) == 1
    }

    static func insert(_ c: Connection, _ secret: StoredSecret, kind: String, name: String) throws(JudgeError) {
        try c.execute(
            """
            INSERT INTO secret (sha256, kind, name, created_at, expires_at, label)
            VALUES (\(secret.sha256), \(kind), \(name), \(secret.createdAt), \(secret.expiresAt), \(secret.label))
            """)
    }

    public func account(named name: String) throws(JudgeError) -> Account? {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Account? in
            guard let row = try c.rows("SELECT \(unescaped: Self.columns) FROM account a WHERE a.name = \(name)").first
            else { return nil }
            return try Self.account(row)
        }
    }

    public func accounts() throws(JudgeError) -> [Account] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [Account] in
            var accounts: [Account] = []
            for row in try c.rows("SELECT \(unescaped: Self.columns) FROM account a ORDER BY a.name COLLATE \"C\"") {
                accounts.append(try Self.account(row))
            }
            return accounts
        }
    }

    public func disable(_ name: String, at time: String) throws(JudgeError) -> Bool {
        try pool.transaction { (c: Connection) throws(JudgeError) -> Bool in
            let changed = try c.execute(
                "UPDATE account SET disabled_at = \(time) WHERE name = \(name) AND disabled_at IS NULL")
            try c.execute("UPDATE secret SET revoked_at = \(time) WHERE name = \(name) AND revoked_at IS NULL")
            return changed > 0
        }
    }

    public func replaceInvite(of name: String, with invite: StoredSecret) throws(JudgeError) {
        try pool.transaction { (c: Connection) throws(JudgeError) in
            try c.execute(
                """
                UPDATE secret SET revoked_at = \(invite.createdAt)
                WHERE name = \(name) AND kind = 'invite' AND revoked_at IS NULL
                """)
            try Self.insert(c, invite, kind: "invite", name: name)
        }
    }

    public func addToken(of name: String, _ token: StoredSecret) throws(JudgeError) {
        try pool.withConnection { (c: Connection) throws(JudgeError) in
            try Self.insert(c, token, kind: "token", name: name)
        }
    }

    public func account(tokenSHA256: String, at time: String) throws(JudgeError) -> Account? {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Account? in
            let rows = try c.rows(
                """
                SELECT \(unescaped: Self.columns) FROM secret s JOIN account a ON a.name = s.name
                WHERE s.sha256 = \(tokenSHA256) AND s.kind = 'token' AND s.revoked_at IS NULL
                  AND a.disabled_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > \(time) COLLATE "C")
                """)
            return try rows.first.map { (row: PostgresRow) throws(JudgeError) in try Self.account(row) }
        }
    }

    /// Uses the invite up first (a conditional update: of two redeems at once, the second waits
    /// for the first and then finds it used), then sets the password, in one transaction.
    public func redeem(inviteSHA256: String, passwordHash: String, at time: String) throws(JudgeError) -> Account? {
        try pool.transaction { (c: Connection) throws(JudgeError) -> Account? in
            let used = try c.rows(
                """
                UPDATE secret s SET revoked_at = \(time)
                FROM account a
                WHERE a.name = s.name AND s.sha256 = \(inviteSHA256) AND s.kind = 'invite'
                  AND s.revoked_at IS NULL AND a.disabled_at IS NULL
                  AND (s.expires_at IS NULL OR s.expires_at > \(time) COLLATE "C")
                RETURNING \(unescaped: Self.columns)
                """)
            guard let row = used.first else { return nil }
            let account = try Self.account(row)
            try c.execute("UPDATE account SET password_hash = \(passwordHash) WHERE name = \(account.name)")
            return account
        }
    }

    public func passwordHash(of name: String) throws(JudgeError) -> String? {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> String? in
            let rows = try c.rows("SELECT password_hash FROM account WHERE name = \(name) AND disabled_at IS NULL")
            return try rows.first?.value(String?.self) ?? nil
        }
    }

    public func recordFailedLogin(_ name: String, at time: String) throws(JudgeError) {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Void in
            try c.execute("INSERT INTO failed_login (name, at) VALUES (\(name), \(time))")
        }
    }

    public func failedLogins(_ name: String, since time: String) throws(JudgeError) -> Int {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Int in
            let rows = try c.rows(
                "SELECT COUNT(*) FROM failed_login WHERE name = \(name) AND at > \(time) COLLATE \"C\"")
            return try rows.first?.value(Int.self) ?? 0
        }
    }

    public func tokens(of name: String, at time: String) throws(JudgeError) -> [TokenRecord] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [TokenRecord] in
            let rows = try c.rows(
                """
                SELECT sha256, label, created_at, expires_at FROM secret
                WHERE name = \(name) AND kind = 'token' AND revoked_at IS NULL
                  AND (expires_at IS NULL OR expires_at > \(time) COLLATE "C")
                ORDER BY created_at COLLATE "C", sha256 COLLATE "C"
                """)
            var tokens: [TokenRecord] = []
            for row in rows {
                let (sha256, label, createdAt, expiresAt) = try row.values((String, String?, String, String?).self)
                tokens.append(
                    TokenRecord(
                        id: String(sha256.prefix(TokenRecord.idLength)), label: label, createdAt: createdAt,
                        expiresAt: expiresAt))
            }
            return tokens
        }
    }

    public func revokeToken(sha256: String, at time: String) throws(JudgeError) -> Bool {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Bool in
            try c.execute(
                """
                UPDATE secret SET revoked_at = \(time)
                WHERE sha256 = \(sha256) AND kind = 'token' AND revoked_at IS NULL
                """) > 0
        }
    }

    public func revokeToken(of name: String, id: String, at time: String) throws(JudgeError) -> Bool {
        guard id.count == TokenRecord.idLength, id.allSatisfy(\.isHexDigit) else { return false }
        let prefix = id.lowercased()
        return try pool.withConnection { (c: Connection) throws(JudgeError) -> Bool in
            try c.execute(
                """
                UPDATE secret SET revoked_at = \(time)
                WHERE name = \(name) AND kind = 'token' AND revoked_at IS NULL AND starts_with(sha256, \(prefix))
                """) > 0
        }
    }
}
