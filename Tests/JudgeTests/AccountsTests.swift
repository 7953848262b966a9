import Foundation
import PodiumApp
import PodiumDomain
import PodiumFiles
import PodiumPasswords
import PodiumSQLite
import PodiumSandbox
import Testing

/// `podium users` (DESIGN §7): accounts, one-time invites and API tokens, secrets shown once and
/// stored only as SHA-256 hashes, a roster imported in one command.
@Suite("Accounts: podium users")
struct AccountsTests {
    /// `inv_` or `pod_` and 43 base64url characters (32 random bytes).
    static func isSecret(_ text: String) -> Bool {
        let body = text.dropFirst(4)
        return (text.hasPrefix("inv_") || text.hasPrefix("pod_")) && body.count == 43
            && body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// Every byte the accounts database holds on disk (the file and its WAL).
    static func storedBytes(_ home: String) -> String {
        let files = ["accounts.sqlite", "accounts.sqlite-wal"]
        return files.compactMap { try? Data(contentsOf: URL(fileURLWithPath: home + "/" + $0)) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    static func services(_ home: String, at now: Date? = nil) throws -> Services {
        var services = Services(
            challenges: SQLiteChallenges(root: home), blobs: HomeFolder(root: home),
            sandbox: LauncherSandbox(launcher: "/nonexistent", searchFolders: [], runtimes: nil),
            clock: now.map { FixedClock($0) as any WallClock } ?? SystemClock())
        services.accounts = try AccountDatabase(home: home)
        services.passwords = BcryptPasswords(cost: 4)
        return services
    }

    @Test func inviteAndTokenAreShownOnceAndStoredOnlyAsHashes() throws {
        let a = try Arena()
        defer { a.remove() }
        let add = try a.podium(["users", "add", " Alice ", "--display", "Alice <b>M</b>", "--json"])
        #expect(add.status == 0, "\(add.stderr)")
        let code = try #require(add.json?["code"] as? String)
        #expect(add.json?["name"] as? String == "alice" && Self.isSecret(code))
        let token = try a.podium(["users", "token", "alice"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("pod_") && Self.isSecret(token), "\(token)")
        let stored = Self.storedBytes(a.home)
        #expect(!stored.isEmpty && !stored.contains(code) && !stored.contains(token), "a secret is stored in clear")
        // The token finds its account; another does not; after `remove` neither does it.
        let services = try Self.services(a.home)
        #expect(try Accounts.account(token: token, services: services)?.name == "alice")
        #expect(try Accounts.account(token: "pod_" + String(token.dropFirst(4).reversed()), services: services) == nil)
        #expect(try a.podium(["users", "remove", "ALICE"]).status == 0)
        #expect(try Accounts.account(token: token, services: services) == nil)
        let again = try a.podium(["users", "token", "alice", "--json"])
        #expect(again.status == 1 && (again.json?["error"] as? [String: Any])?["code"] as? String == "unknown_account")
        // Disabled, not deleted: still listed.
        let list = try a.podium(["users", "list", "--json"])
        let accounts = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(accounts.count == 1 && accounts[0]["disabled"] as? Bool == true)
        #expect(accounts[0]["display"] as? String == "Alice <b>M</b>")
    }

    @Test func refusals() throws {
        let a = try Arena(teams: "member,team\nbob,red\ncarol,red\n")
        defer { a.remove() }
        #expect(try a.podium(["publish", a.folder] + Arena.allowances(["publish"])).status == 0)
        func code(_ arguments: [String]) throws -> String? {
            let r = try a.podium(["users"] + arguments + ["--json"])
            return (r.json?["error"] as? [String: Any])?["code"] as? String
        }
        #expect(try code(["add", "al ice"]) == "invalid_name")
        #expect(try code(["add", "red"]) == "invalid_name", "a team's name is not an account's")
        #expect(try code(["add", "dan", "--email", "not an address"]) == "invalid_account")
        #expect(try code(["add", "dan", "--display", String(repeating: "x", count: 81)]) == "invalid_account")
        #expect(try code(["add", "dan"]) == nil)
        #expect(try code(["add", "Dan"]) == "already_exists")
        #expect(try code(["remove", "nobody"]) == "unknown_account")
        #expect(try a.podium(["users", "add", "eve", "--role", "admin"]).status == 2)
    }

    @Test func aRosterImportsInOneCommandAndAgainChangesNothing() throws {
        let a = try Arena()
        defer { a.remove() }
        let roster = a.root + "/roster.csv"
        try "name,display,email,role\nBob,Bob B,bob@x.org,\ncarol,Carol,,Instructor\n"
            .write(toFile: roster, atomically: true, encoding: .utf8)
        func names() throws -> [String]? {
            let list = try a.podium(["users", "list", "--json"])
            return (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?
                .compactMap { $0["name"] as? String }
        }
        // An existing invites file is never overwritten, nor followed as a link; then nobody is added.
        let invites = a.root + "/invites.csv"
        let victim = a.root + "/victim.txt"
        try "keep me\n".write(toFile: victim, atomically: true, encoding: .utf8)
        symlink(victim, invites)
        let refused = try a.podium(["users", "import", roster, "--invites", invites, "--json"])
        #expect(
            refused.status == 1 && (refused.json?["error"] as? [String: Any])?["code"] as? String == "unwritable_output"
        )
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        #expect(try names() == [], "no account without its invite")
        unlink(invites)
        let first = try a.podium(["users", "import", roster, "--invites", invites, "--public-url", "https://p.edu/"])
        #expect(first.status == 0, "\(first.stderr)")
        var info = stat()
        #expect(stat(invites, &info) == 0 && info.st_mode & 0o777 == 0o600, "invites must be private")
        let lines = try String(contentsOfFile: invites, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && lines[0] == "name,code,link,expires_at")
        #expect(lines[1].hasPrefix("\"bob\",\"inv_") && lines[1].contains("\"https://p.edu/invite/inv_"), "\(lines)")
        #expect(!first.stdout.contains("inv_"), "codes go to the file, not to the screen")
        // Again, to another file: both present, no code anywhere, no file made.
        let other = a.root + "/invites-2.csv"
        let second = try a.podium(["users", "import", roster, "--invites", other, "--json"])
        #expect(second.json?["present"] as? [String] == ["bob", "carol"] && !second.stdout.contains("inv_"))
        #expect((second.json?["created"] as? [Any])?.isEmpty == true && !FileManager.default.fileExists(atPath: other))
        // A bad row adds nobody, and says where.
        try "name,email\ndan,dan@x.org\nal ice,\n".write(toFile: roster, atomically: true, encoding: .utf8)
        let bad = try a.podium(["users", "import", roster, "--invites", other, "--json"])
        let error = bad.json?["error"] as? [String: Any]
        #expect(bad.status == 1 && error?["code"] as? String == "invalid_name" && error?["row"] as? Int == 3)
        #expect(try names() == ["bob", "carol"] && !FileManager.default.fileExists(atPath: other))
        // Hostile operator input is refused before anything happens.
        #expect(try a.podium(["users", "add", "dan", "--public-url", "javascript:alert(1)"]).status == 2)
        #expect(try a.podium(["users", "add", "dan", "--display", "N\u{202E}evil"]).status == 1)
        let typo = a.root + "/typo"
        #expect(try run(podiumPath, ["users", "list", "--home", typo]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: typo), "a typo never makes a home")
    }

    @Test func anInviteIsNotATokenAndCanBeIssuedAgain() throws {
        let home = NSTemporaryDirectory() + "podium-accounts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let day0 = Date(timeIntervalSince1970: 1_800_000_000)
        let services = try Self.services(home, at: day0)
        let first = try Accounts.add("alice", role: .student, display: nil, email: nil, services: services)
        #expect(first.expiresAt == Instants.timestamp(day0.addingTimeInterval(7 * 86_400)))
        #expect(try Accounts.account(token: first.code, services: services) == nil, "an invite is no token")
        let second = try Accounts.reinvite("alice", services: services)
        #expect(second.code != first.code)
        let password = "correct horse battery"
        #expect(
            Self.failure { _ = try Accounts.redeem(invite: first.code, password: password, services: services) }
                == "invalid_invite")
        #expect(try Accounts.redeem(invite: second.code, password: password, services: services).name == "alice")
    }

    /// The code of the `JudgeError` that `body` throws (`nil`: none, `"?"`: another error).
    static func failure(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as JudgeError { return error.code.rawValue } catch { return "?" }
        return nil
    }

    @Test func anInviteSetsAPasswordOnceBeforeItExpires() throws {
        let home = NSTemporaryDirectory() + "podium-accounts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let day0 = Date(timeIntervalSince1970: 1_800_000_000)
        let services = try Self.services(home, at: day0)
        let alice = try Accounts.add("alice", role: .student, display: nil, email: nil, services: services)
        let bob = try Accounts.add("bob", role: .student, display: nil, email: nil, services: services)
        let carol = try Accounts.add("carol", role: .student, display: nil, email: nil, services: services)
        #expect(
            Self.failure { _ = try Accounts.redeem(invite: alice.code, password: "short", services: services) }
                == "weak_password")
        let password = "correct horse battery"
        #expect(try Accounts.redeem(invite: alice.code, password: password, services: services).name == "alice")
        #expect(
            Self.failure { _ = try Accounts.redeem(invite: alice.code, password: password, services: services) }
                == "invalid_invite")
        #expect(
            Self.failure { _ = try Accounts.redeem(invite: "inv_nope", password: password, services: services) }
                == "invalid_invite")
        // Seven days, then the invite is dead; a removed account's invite is revoked.
        let day8 = try Self.services(home, at: day0.addingTimeInterval(8 * 86_400))
        #expect(
            Self.failure { _ = try Accounts.redeem(invite: bob.code, password: password, services: day8) }
                == "invalid_invite")
        try Accounts.remove("carol", services: services)
        #expect(
            Self.failure { _ = try Accounts.redeem(invite: carol.code, password: password, services: services) }
                == "invalid_invite")
        // Only a bcrypt hash is stored.
        let stored = try #require(try AccountDatabase(home: home).passwordHash(of: "alice"))
        #expect(stored.hasPrefix("$2") && !Self.storedBytes(home).contains(password))
    }

    @Test func loginIssuesATokenAndThrottlesAName() throws {
        let home = NSTemporaryDirectory() + "podium-accounts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let services = try Self.services(home, at: t0)
        let invite = try Accounts.add("alice", role: .student, display: nil, email: nil, services: services)
        let password = "correct horse battery"
        #expect(
            Self.failure { _ = try Accounts.login("alice", password: password, services: services) }
                == "bad_credentials")
        _ = try Accounts.redeem(invite: invite.code, password: password, services: services)
        let (account, token) = try Accounts.login(" Alice ", password: password, services: services)
        #expect(account.name == "alice" && Self.isSecret(token))
        #expect(try Accounts.account(token: token, services: services)?.name == "alice")
        #expect(
            Self.failure { _ = try Accounts.login("nobody", password: password, services: services) }
                == "bad_credentials")
        // Ten failures within 15 minutes (the one above, before the password, counts too).
        for _ in 0..<9 {
            #expect(
                Self.failure { _ = try Accounts.login("alice", password: "wrong password!", services: services) }
                    == "bad_credentials")
        }
        #expect(
            Self.failure { _ = try Accounts.login("alice", password: password, services: services) }
                == "too_many_attempts")
        // Another name is not affected; after 15 minutes the right password works again.
        #expect(
            Self.failure { _ = try Accounts.login("nobody", password: password, services: services) }
                == "bad_credentials")
        let later = try Self.services(home, at: t0.addingTimeInterval(16 * 60))
        #expect(try Accounts.login("alice", password: password, services: later).account.name == "alice")
        // A disabled account cannot log in.
        try Accounts.remove("alice", services: later)
        #expect(
            Self.failure { _ = try Accounts.login("alice", password: password, services: later) } == "bad_credentials")
    }
}
