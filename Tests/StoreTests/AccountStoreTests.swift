import Foundation
import PodiumApp
import PodiumDomain
import PodiumPostgres
import PodiumSQLite
import PodiumTestSupport
import Synchronization
import Testing

/// The two AccountStores, SQLite (one machine) and PostgreSQL (a course on several): each test
/// runs on both and asserts the same behaviour.
enum Kind: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// An empty account store of a kind, and what removes it.
struct Accounts {
    let store: any AccountStore
    let close: () -> Void

    init(_ kind: Kind) throws {
        switch kind {
        case .sqlite:
            let folder = NSTemporaryDirectory() + "podium-accounts-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            store = try AccountDatabase(home: folder)
            close = { try? FileManager.default.removeItem(atPath: folder) }
        case .postgres:
            let postgres = try TestPostgres.store(connections: 8)
            store = PostgresAccounts(pool: postgres.pool)
            close = { postgres.pool.close() }
        }
    }
}

/// Instants as Podium writes them (ISO 8601, milliseconds, UTC), and secrets' hashes.
enum Fixture {
    static func at(_ minute: Int) -> String { String(format: "2026-03-01T10:%02d:00.000Z", minute) }

    static func hash() -> String {
        (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
    }

    static func account(_ name: String, role: Account.Role = .student, display: String? = nil) -> Account {
        Account(
            name: name, role: role, display: display ?? name.uppercased(), email: "\(name)@example.org",
            createdAt: at(0))
    }

    static func secret(created: Int = 0, expires: Int? = 50, label: String? = nil) -> StoredSecret {
        StoredSecret(sha256: hash(), createdAt: at(created), expiresAt: expires.map(at), label: label)
    }

    /// Runs `body(i)` for each `i` below `count` on threads of their own, released together
    /// once all have started; returns when every one has ended.
    static func atOnce(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for i in 0..<count {
            done.enter()
            Thread {
                ready.signal()
                go.wait()
                body(i)
                done.leave()
            }.start()
        }
        for _ in 0..<count { ready.wait() }
        for _ in 0..<count { go.signal() }
        done.wait()
    }
}

/// What threads running at once report, in the order they reported it.
final class Collected<Item: Sendable>: Sendable {
    private let items = Mutex<[Item]>([])
    func append(_ item: Item) { items.withLock { $0.append(item) } }
    var all: [Item] { items.withLock { $0 } }
}

@Suite struct AccountStoreTests {
    @Test(arguments: [Kind.sqlite, .postgres])
    func addsAccountsAndRefusesATakenName(_ kind: Kind) throws {
        let accounts = try Accounts(kind)
        defer { accounts.close() }
        let store = accounts.store
        let alice = Fixture.account("alice", role: .instructor, display: "Alice <Ann> Example")
        let invite = Fixture.secret()
        try store.add(alice, invite: invite)
        #expect(try store.account(named: "alice") == alice)
        #expect(try store.account(named: "nobody") == nil)

        let second = Fixture.secret()
        let error = #expect(throws: JudgeError.self) {
            try store.add(Fixture.account("alice", display: "Another"), invite: second)
        }
        #expect(error?.code == .alreadyExists)
        #expect(try store.account(named: "alice") == alice)
        // The refused add wrote nothing: its invite sets no password, the first one still does.
        #expect(try store.redeem(inviteSHA256: second.sha256, passwordHash: "x", at: Fixture.at(1)) == nil)
        #expect(try store.redeem(inviteSHA256: invite.sha256, passwordHash: "x", at: Fixture.at(1)) == alice)

        // Listed by name, byte by byte as SQLite orders text ('-' < '.' < letters).
        for name in ["zed", "b.c", "bc", "b-c"] { try store.add(Fixture.account(name), invite: Fixture.secret()) }
        #expect(try store.accounts().map(\.name) == ["alice", "b-c", "b.c", "bc", "zed"])
    }

    @Test(arguments: [Kind.sqlite, .postgres])
    func addAllCreatesOnlyTheFreeNames(_ kind: Kind) throws {
        let accounts = try Accounts(kind)
        defer { accounts.close() }
        let store = accounts.store
        let firstInvites = ["amy": Fixture.secret(), "ben": Fixture.secret()]
        let created = try store.addAll([
            (Fixture.account("amy"), firstInvites["amy"]!), (Fixture.account("ben"), firstInvites["ben"]!),
        ])
        #expect(created == ["amy", "ben"])

        let again = ["ben": Fixture.secret(), "cat": Fixture.secret(), "amy": Fixture.secret()]
        let second = try store.addAll([
            (Fixture.account("ben", display: "Changed"), again["ben"]!), (Fixture.account("cat"), again["cat"]!),
            (Fixture.account("amy", display: "Changed"), again["amy"]!),
        ])
        #expect(second == ["cat"])
        #expect(try store.accounts().map(\.name) == ["amy", "ben", "cat"])
        // The names present were left as they were: their display and their first invite.
        #expect(try store.account(named: "ben")?.display == "BEN")
        #expect(try store.redeem(inviteSHA256: again["ben"]!.sha256, passwordHash: "h", at: Fixture.at(1)) == nil)
        #expect(
            try store.redeem(inviteSHA256: firstInvites["ben"]!.sha256, passwordHash: "h", at: Fixture.at(1)) != nil)
        #expect(try store.redeem(inviteSHA256: again["cat"]!.sha256, passwordHash: "h", at: Fixture.at(1)) != nil)

        // Idempotent: the same roster again creates nothing.
        #expect(try store.addAll([(Fixture.account("amy"), Fixture.secret())]) == [])
        #expect(try store.addAll([]) == [])
    }

    @Test(arguments: [Kind.sqlite, .postgres])
    func findsTheAccountOfALiveTokenByItsHash(_ kind: Kind) throws {
        let accounts = try Accounts(kind)
        defer { accounts.close() }
        let store = accounts.store
        let dan = Fixture.account("dan")
        let invite = Fixture.secret()
        try store.add(dan, invite: invite)
        let token = Fixture.secret(created: 1, expires: nil, label: "podium login")
        try store.addToken(of: "dan", token)

        #expect(try store.account(tokenSHA256: token.sha256, at: Fixture.at(2)) == dan)
        #expect(try store.account(tokenSHA256: Fixture.hash(), at: Fixture.at(2)) == nil)
        // An invite is no token, and a token's id (its hash's first characters) is no token.
        #expect(try store.account(tokenSHA256: invite.sha256, at: Fixture.at(2)) == nil)
        #expect(try store.account(tokenSHA256: String(token.sha256.prefix(12)), at: Fixture.at(2)) == nil)
    }

    @Test(arguments: [Kind.sqlite, .postgres])
    func expiredRevokedAndDisabledTokensAreNotFound(_ kind: Kind) throws {
        let accounts = try Accounts(kind)
        defer { accounts.close() }
        let store = accounts.store
        try store.add(Fixture.account("eve"), invite: Fixture.secret())
        let expiring = Fixture.secret(created: 1, expires: 10)
        let revoked = Fixture.secret(created: 1, expires: nil)
        try store.addToken(of: "eve", expiring)
        try store.addToken(of: "eve", revoked)

        #expect(try store.account(tokenSHA256: expiring.sha256, at: Fixture.at(9)) != nil)
        // Valid until, not at, its expiry.
        #expect(try store.account(tokenSHA256: expiring.sha256, at: Fixture.at(10)) == nil)
        #expect(try store.tokens(of: "eve", at: Fixture.at(10)).count == 1)

        #expect(try store.revokeToken(sha256: revoked.sha256, at: Fixture.at(3)))
        #expect(try store.account(tokenSHA256: revoked.sha256, at: Fixture.at(4)) == nil)
        #expect(try !store.revokeToken(sha256: revoked.sha256, at: Fixture.at(4)))
        #expect(try !store.revokeToken(sha256: Fixture.hash(), at: Fixture.at(4)))

        // Disabling revokes every token and invite for good, and hides the password.
        let live = Fixture.secret(created: 5, expires: nil)
        try store.addToken(of: "eve", live)
        let invite = Fixture.secret(created: 5)
        try store.replaceInvite(of: "eve", with: invite)
        #expect(try store.account(tokenSHA256: live.sha256, at: Fixture.at(6)) != nil)
        #expect(try store.disable("eve", at: Fixture.at(7)))
        #expect(try !store.disable("eve", at: Fixture.at(8)))
        #expect(try !store.disable("nobody", at: Fixture.at(8)))
        #expect(try store.account(named: "eve")?.disabled == true)
        #expect(try store.account(tokenSHA256: live.sha256, at: Fixture.at(8)) == nil)
        #expect(try store.tokens(of: "eve", at: Fixture.at(8)).isEmpty)
        #expect(try store.redeem(inviteSHA256: invite.sha256, passwordHash: "h", at: Fixture.at(8)) == nil)
        #expect(try store.passwordHash(of: "eve") == nil)
    }

    @Test(arguments: [Kind.sqlite, .postgres])
    func anInviteSetsAPasswordOnce(_ kind: Kind) throws {
        let accounts = try Accounts(kind)
        defer { accounts.close() }
        let store = accounts.store
        let fay = Fixture.account("fay")
        let invite = Fixture.secret(created: 0, expires: 30)
        try store.add(fay, invite: invite)
        #expect(try store.passwordHash(of: "fay") == nil)

        #expect(try store.redeem(inviteSHA256: invite.sha256, passwordHash: "first", at: Fixture.at(30)) == nil)
        #expect(try store.redeem(inviteSHA256: invite.sha256, passwordHash: "first", at: Fixture.at(29)) == fay)
        #expect(try store.passwordHash(of: "fay") == "first")
        #expect(try store.redeem(inviteSHA256: invite.sha256, passwordHash: "second", at: Fixture.at(29)) == nil)
        #expect(try store.passwordHash(of: "fay") == "first")
        // A token's hash redeems nothing.
        let token = Fixture.secret(expires: nil)
        try store.addToken(of: "fay", token)
        #expect(try store.redeem(inviteSHA256: token.sha256, passwordHash: "x", at: Fixture.at(1)) == nil)

        // A new invite replaces the unused ones.
        let lost = Fixture.secret(created: 31, expires: nil)
        try store.replaceInvite(of: "fay", with: lost)
        let replacement = Fixture.secret(created: 32, expires: nil)
        try store.replaceInvite(of: "fay", with: replacement)
        #expect(try store.redeem(inviteSHA256: lost.sha256, passwordHash: "lost", at: Fixture.at(33)) == nil)
        #expect(try store.redeem(inviteSHA256: replacement.sha256, passwordHash: "third", at: Fixture.at(33)) == fay)
        #expect(try store.passwordHash(of: "fay") == "third")
    }

    @Test(arguments: [Kind.sqlite, .postgres])
    func ofRedeemsAtOnceExactlyOneSucceeds(_ kind: Kind) throws {
        let accounts = try Accounts(kind)
        defer { accounts.close() }
        let store = accounts.store
        let invite = Fixture.secret(expires: nil)
        try store.add(Fixture.account("gus"), invite: invite)
        let outcomes = Collected<String>()
        Fixture.atOnce(8) { i in
            do throws(JudgeError) {
                let redeemed = try store.redeem(inviteSHA256: invite.sha256, passwordHash: "p\(i)", at: Fixture.at(1))
                outcomes.append(redeemed == nil ? "refused" : "p\(i)")
            } catch {
                outcomes.append("\(error)")
            }
        }
        let all = outcomes.all
        let winners = all.filter { $0.hasPrefix("p") }
        #expect(winners.count == 1, "\(all)")
        #expect(all.filter { $0 == "refused" }.count == 7, "\(all)")
        #expect(try store.passwordHash(of: "gus") == winners.first)
    }

    @Test(arguments: [Kind.sqlite, .postgres])
    func countsFailedLoginsPerNameSinceAnInstant(_ kind: Kind) throws {
        let accounts = try Accounts(kind)
        defer { accounts.close() }
        let store = accounts.store
        try store.add(Fixture.account("hal"), invite: Fixture.secret())
        for minute in [1, 2, 3] { try store.recordFailedLogin("hal", at: Fixture.at(minute)) }
        // A name with no account counts too (the 429 must not reveal which names exist).
        try store.recordFailedLogin("ghost", at: Fixture.at(2))

        #expect(try store.failedLogins("hal", since: Fixture.at(0)) == 3)
        #expect(try store.failedLogins("hal", since: Fixture.at(1)) == 2)
        #expect(try store.failedLogins("hal", since: Fixture.at(3)) == 0)
        #expect(try store.failedLogins("ghost", since: Fixture.at(0)) == 1)
        #expect(try store.failedLogins("nobody", since: Fixture.at(0)) == 0)
    }

    @Test(arguments: [Kind.sqlite, .postgres])
    func listsAndRevokesTokensByTheirId(_ kind: Kind) throws {
        let accounts = try Accounts(kind)
        defer { accounts.close() }
        let store = accounts.store
        try store.add(Fixture.account("ida"), invite: Fixture.secret())
        try store.add(Fixture.account("jon"), invite: Fixture.secret())
        let web = Fixture.secret(created: 1, expires: 40, label: "web session")
        let cli = Fixture.secret(created: 2, expires: nil, label: nil)
        let old = Fixture.secret(created: 0, expires: 3, label: "old")
        let other = Fixture.secret(created: 1, expires: nil, label: "jon's")
        for token in [web, cli, old] { try store.addToken(of: "ida", token) }
        try store.addToken(of: "jon", other)

        let listed = try store.tokens(of: "ida", at: Fixture.at(5))
        #expect(
            listed == [
                TokenRecord(
                    id: String(web.sha256.prefix(TokenRecord.idLength)), label: "web session",
                    createdAt: Fixture.at(1), expiresAt: Fixture.at(40)),
                TokenRecord(
                    id: String(cli.sha256.prefix(TokenRecord.idLength)), label: nil, createdAt: Fixture.at(2),
                    expiresAt: nil),
            ])

        let webId = listed[0].id
        // Not another account's token, nor an id of another length or with other characters.
        #expect(try !store.revokeToken(of: "jon", id: webId, at: Fixture.at(6)))
        #expect(try !store.revokeToken(of: "ida", id: String(webId.prefix(11)), at: Fixture.at(6)))
        #expect(try !store.revokeToken(of: "ida", id: String(web.sha256.prefix(13)), at: Fixture.at(6)))
        #expect(try !store.revokeToken(of: "ida", id: "%%%%%%%%%%%%", at: Fixture.at(6)))
        #expect(try !store.revokeToken(of: "ida", id: String(other.sha256.prefix(12)), at: Fixture.at(6)))
        // An id in capitals names the same token.
        #expect(try store.revokeToken(of: "ida", id: webId.uppercased(), at: Fixture.at(6)))
        #expect(try !store.revokeToken(of: "ida", id: webId, at: Fixture.at(7)))

        #expect(try store.tokens(of: "ida", at: Fixture.at(7)).map(\.id) == [String(cli.sha256.prefix(12))])
        #expect(try store.account(tokenSHA256: web.sha256, at: Fixture.at(7)) == nil)
        #expect(try store.account(tokenSHA256: cli.sha256, at: Fixture.at(7))?.name == "ida")
        #expect(try store.tokens(of: "jon", at: Fixture.at(7)).map(\.label) == ["jon's"])
    }
}
