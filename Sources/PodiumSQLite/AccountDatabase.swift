import Foundation
import GRDB
import PodiumApp
import PodiumDomain

/// The course's accounts, `<home>/accounts.sqlite`: accounts, invites and API tokens. Secrets
/// are stored only as SHA-256 hashes; a lookup by hash is an index search on a value that
/// reveals nothing of the secret, so no comparison of secrets runs in this process.
public final class AccountDatabase: AccountStore {
    let file: SQLiteFile

    public init(path: String) throws(JudgeError) {
        file = try SQLiteFile(path: path, migrator: Self.migrator)
    }

    /// The accounts of a home folder.
    public convenience init(home: String) throws(JudgeError) {
        try self.init(path: home + "/accounts.sqlite")
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-accounts") { db in
            try db.create(table: "account") { t in
                t.primaryKey("name", .text)
                t.column("role", .text).notNull().check(sql: "role IN ('student', 'instructor')")
                t.column("display", .text).notNull()
                t.column("email", .text)
                t.column("createdAt", .text).notNull()
                t.column("disabledAt", .text)
            }
            // A secret is a one-time invite code or an API token: only its SHA-256 is kept.
            try db.create(table: "secret") { t in
                t.primaryKey("sha256", .text)
                t.column("kind", .text).notNull().check(sql: "kind IN ('invite', 'token')")
                t.column("name", .text).notNull().references("account")
                t.column("createdAt", .text).notNull()
                t.column("expiresAt", .text)
                t.column("revokedAt", .text)
            }
            try db.create(index: "secretByName", on: "secret", columns: ["name", "kind"])
        }
        m.registerMigration("v2-passwords") { db in
            try db.alter(table: "account") { t in t.add(column: "passwordHash", .text) }
            try db.create(table: "failedLogin") { t in
                t.column("name", .text).notNull()
                t.column("at", .text).notNull()
            }
            try db.create(index: "failedLoginByName", on: "failedLogin", columns: ["name", "at"])
        }
        m.registerMigration("v3-token-labels") { db in
            // What a token is for ("web session", "podium login", a name the student gave).
            try db.alter(table: "secret") { t in t.add(column: "label", .text) }
        }
        return m
    }

    public func redeem(inviteSHA256: String, passwordHash: String, at time: String) throws(JudgeError) -> Account? {
        try file.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.* FROM secret s JOIN account a ON a.name = s.name
                        WHERE s.sha256 = ? AND s.kind = 'invite' AND s.revokedAt IS NULL AND a.disabledAt IS NULL
                          AND (s.expiresAt IS NULL OR s.expiresAt > ?)
                        """,
                    arguments: [inviteSHA256, time])
            else { return nil }
            let account = Self.account(row)
            try db.execute(
                sql: "UPDATE account SET passwordHash = ? WHERE name = ?", arguments: [passwordHash, account.name])
            // Used up: an invite sets a password once.
            try db.execute(sql: "UPDATE secret SET revokedAt = ? WHERE sha256 = ?", arguments: [time, inviteSHA256])
            return account
        }
    }

    public func passwordHash(of name: String) throws(JudgeError) -> String? {
        try file.read { db in
            try String.fetchOne(
                db, sql: "SELECT passwordHash FROM account WHERE name = ? AND disabledAt IS NULL", arguments: [name])
        }
    }

    public func recordFailedLogin(_ name: String, at time: String) throws(JudgeError) {
        try file.write { db in
            try db.execute(sql: "INSERT INTO failedLogin (name, at) VALUES (?, ?)", arguments: [name, time])
        }
    }

    public func failedLogins(_ name: String, since time: String) throws(JudgeError) -> Int {
        try file.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM failedLogin WHERE name = ? AND at > ?", arguments: [name, time]) ?? 0
        }
    }

    public func add(_ account: Account, invite: StoredSecret) throws(JudgeError) {
        try file.write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [account.name]) != nil {
                throw JudgeError(code: .alreadyExists, message: "an account named '\(account.name)' exists")
            }
            try db.execute(
                sql: "INSERT INTO account (name, role, display, email, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [account.name, account.role.rawValue, account.display, account.email, account.createdAt])
            try Self.insert(db, invite, kind: "invite", name: account.name)
        }
    }

    public func addAll(_ accounts: [(Account, StoredSecret)]) throws(JudgeError) -> [String] {
        try file.write { db in
            var created: [String] = []
            for (account, invite) in accounts {
                if try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [account.name]) != nil {
                    continue
                }
                try db.execute(
                    sql: "INSERT INTO account (name, role, display, email, createdAt) VALUES (?, ?, ?, ?, ?)",
                    arguments: [account.name, account.role.rawValue, account.display, account.email, account.createdAt])
                try Self.insert(db, invite, kind: "invite", name: account.name)
                created.append(account.name)
            }
            return created
        }
    }

    static func insert(_ db: Database, _ secret: StoredSecret, kind: String, name: String) throws {
        try db.execute(
            sql: "INSERT INTO secret (sha256, kind, name, createdAt, expiresAt, label) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [secret.sha256, kind, name, secret.createdAt, secret.expiresAt, secret.label])
    }

    static func account(_ row: Row) -> Account {
        Account(
            name: row["name"], role: Account.Role(rawValue: row["role"]) ?? .student, display: row["display"],
            email: row["email"], createdAt: row["createdAt"], disabled: (row["disabledAt"] as String?) != nil)
    }

    public func account(named name: String) throws(JudgeError) -> Account? {
        try file.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]).map(Self.account)
        }
    }

    public func accounts() throws(JudgeError) -> [Account] {
        try file.read { db in try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map(Self.account) }
    }

    public func disable(_ name: String, at time: String) throws(JudgeError) -> Bool {
        try file.write { db in
            try db.execute(
                sql: "UPDATE account SET disabledAt = ? WHERE name = ? AND disabledAt IS NULL", arguments: [time, name])
            let changed = db.changesCount > 0
            try db.execute(
                sql: "UPDATE secret SET revokedAt = ? WHERE name = ? AND revokedAt IS NULL", arguments: [time, name])
            return changed
        }
    }

    public func replaceInvite(of name: String, with invite: StoredSecret) throws(JudgeError) {
        try file.write { db in
            try db.execute(
                sql: "UPDATE secret SET revokedAt = ? WHERE name = ? AND kind = 'invite' AND revokedAt IS NULL",
                arguments: [invite.createdAt, name])
            try Self.insert(db, invite, kind: "invite", name: name)
        }
    }

    public func addToken(of name: String, _ token: StoredSecret) throws(JudgeError) {
        try file.write { db in try Self.insert(db, token, kind: "token", name: name) }
    }

    public func account(tokenSHA256: String, at time: String) throws(JudgeError) -> Account? {
        try file.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT a.* FROM secret s JOIN account a ON a.name = s.name
                    WHERE s.sha256 = ? AND s.kind = 'token' AND s.revokedAt IS NULL AND a.disabledAt IS NULL
                      AND (s.expiresAt IS NULL OR s.expiresAt > ?)
                    """,
                arguments: [tokenSHA256, time]
            ).map(Self.account)
        }
    }

    public func tokens(of name: String, at time: String) throws(JudgeError) -> [TokenRecord] {
        try file.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sha256, label, createdAt, expiresAt FROM secret
                    WHERE name = ? AND kind = 'token' AND revokedAt IS NULL AND (expiresAt IS NULL OR expiresAt > ?)
                    ORDER BY createdAt
                    """,
                arguments: [name, time]
            ).map { row in
                TokenRecord(
                    id: String((row[0] as String).prefix(TokenRecord.idLength)), label: row[1], createdAt: row[2],
                    expiresAt: row[3])
            }
        }
    }

    public func revokeToken(sha256: String, at time: String) throws(JudgeError) -> Bool {
        try file.write { db in
            try db.execute(
                sql: "UPDATE secret SET revokedAt = ? WHERE sha256 = ? AND kind = 'token' AND revokedAt IS NULL",
                arguments: [time, sha256])
            return db.changesCount > 0
        }
    }

    public func revokeToken(of name: String, id: String, at time: String) throws(JudgeError) -> Bool {
        guard id.count == TokenRecord.idLength, id.allSatisfy(\.isHexDigit) else { return false }
        return try file.write { db in
            try db.execute(
                sql: """
                    UPDATE secret SET revokedAt = ? WHERE name = ? AND kind = 'token' AND revokedAt IS NULL
                      AND substr(sha256, 1, ?) = ?
                    """,
                arguments: [time, name, TokenRecord.idLength, id.lowercased()])
            return db.changesCount > 0
        }
    }
}
