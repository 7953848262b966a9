import Foundation
import PodiumApp
import PodiumDomain
import Testing

@Suite("Audit trail: who did what, append-only and chained")
struct AuditTests {
    static func second(_ k: Int) -> Date { Arena.day.addingTimeInterval(Double(k)) }

    /// Every instructor action and every refusal by a limit is recorded once, by whom, on what.
    @Test func instructorActionsAndLimitRefusalsAreRecordedWithWhoAndWhat() async throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 2\n")
        defer { a.remove() }
        let instructor = Actor(name: "ines", via: .web)
        _ = try Publisher.publish(
            a.folder, services: a.services().acting(as: instructor), force: false, allow: Arena.allowances)
        _ = try await a.submit("alice", 1, 1, at: Self.second(1))
        let perfect = try await a.submit("alice", 0, 0, at: Self.second(2))  // held: a perfect score
        let refused = try await a.submit("alice", 2, 2, at: Self.second(3))  // the third of 2 a day
        #expect(refused.submission.status == .rejected && refused.submission.errorCode == .limitReached)
        let services = a.services(at: Self.second(4)).acting(as: instructor)
        try Views.clear("arena", services: services, id: perfect.submission.id, reason: "checked by hand")
        _ = try Views.select("arena", services: services.acting(as: Actor(name: "alice", via: .api)), ids: [1])
        try a.writeSolution(publicShift: 0.5)
        _ = try Publisher.publish(a.folder, services: services, force: true, allow: Arena.allowances)
        _ = try Rescorer.rescore("arena", services: services, jobs: 1, dryRun: false) { _, _, _ in }

        let trail = try AuditTrail.read(challenge: "arena", limit: nil, services: services)
        let rows = trail.events.map { ($0.entry.action, $0.entry.actor.name, $0.entry.subject) }
        #expect(
            rows.map(\.0) == [.publish, .hold, .refused, .clear, .select, .publish, .rescore],
            "\(trail.events.map(\.entry))")
        #expect(rows.map(\.1) == ["ines", "podium", "alice", "ines", "alice", "ines", "ines"])
        #expect(rows.map(\.2) == ["v1", "#2", "#3", "#2", "alice", "v2", "v2"])
        let details = trail.events.map(\.entry.detail)
        #expect(details[0].contains("published over target_leak_feature: the arena's data is trivial on purpose"))
        #expect(details[1].contains("perfect_score"))
        #expect(details[2].hasPrefix("limit_reached:"))
        #expect(details[3] == "cleared the hold: checked by hand")
        #expect(details[5].contains("forced over version 1"))
        #expect(details[6].hasPrefix("re-scored 2 submissions on version 2"), "\(details[6])")
        #expect(trail.events.allSatisfy { $0.entry.challenge == "arena" })
        #expect(trail.events.first?.entry.actor.via == .web && trail.events[4].entry.actor.via == .api)
        #expect(trail.events.first?.entry.at == "2026-11-10T10:00:00.000Z")
        #expect(trail.verified == 7)
        // A dry run changes nothing and records nothing.
        _ = try Rescorer.rescore("arena", services: services, jobs: 1, dryRun: true) { _, _, _ in }
        #expect(try AuditTrail.read(challenge: nil, limit: nil, services: services).verified == 7)
        // The last N, in order.
        let last = try AuditTrail.read(challenge: "arena", limit: 2, services: services)
        #expect(last.events.map(\.entry.action) == [.publish, .rescore])
    }

    @Test func accountChangesAndTokenRevocationsAreRecordedForTheCourse() async throws {
        let home = try TestHome()
        defer { home.remove() }
        var services = home.services(at: Arena.day).acting(as: Actor(name: "ines", via: .commandLine))
        services.accounts = try home.accountStore()
        services.passwords = PlainPasswords()
        let invite = try Accounts.add("bob", role: .student, display: nil, email: nil, services: services)
        _ = try Accounts.reinvite("bob", services: services)
        _ = try Accounts.issueToken("bob", services: services)
        let roster = try home.write("roster.csv", "name\ncarol\nbob\n")
        _ = try Accounts.importRoster(roster, services: services)
        let student = services.acting(as: Actor(name: "nobody-yet", via: .web))
        #expect(throws: JudgeError.self) {
            try Accounts.redeem(invite: invite.code, password: "0123456789", services: student)
        }
        let carolInvite = try Accounts.reinvite("carol", services: services)
        _ = try Accounts.redeem(invite: carolInvite.code, password: "0123456789", services: student)
        let (_, token) = try Accounts.login("carol", password: "0123456789", services: services)
        #expect(try Accounts.revoke(token: token, services: services.acting(as: Actor(name: "carol", via: .api))))
        try Accounts.remove("bob", services: services)

        let trail = try AuditTrail.read(challenge: nil, limit: nil, services: services)
        let rows = trail.events.map { "\($0.entry.action.rawValue) \($0.entry.actor.name) \($0.entry.subject ?? "-")" }
        #expect(
            rows == [
                "account_add ines bob", "invite_reissue ines bob", "token_issue ines bob", "account_add ines carol",
                "account_import ines -", "invite_reissue ines carol", "invite_redeem carol carol",
                "token_revoke carol carol", "account_remove ines bob",
            ], "\(rows)")
        #expect(trail.events.allSatisfy { $0.entry.challenge == nil })
        // A challenge's trail leaves the course's account changes out.
        #expect(try AuditTrail.read(challenge: "arena", limit: nil, services: services).events.isEmpty)
    }

    /// The store refuses to change or remove an event; an event changed behind its back (the
    /// protection dropped by hand) breaks the chain where it was changed.
    @Test func theTrailIsAppendOnlyAndAnEditBreaksTheChain() async throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let services = a.services()
        for k in 1...3 {
            AuditTrail.record(.clear, challenge: "arena", subject: "#\(k)", detail: "reason \(k)", services: services)
        }
        #expect(try AuditTrail.read(challenge: nil, limit: nil, services: services).verified == 4)
        #expect(throws: (any Error).self) { try a.home.execute("UPDATE \(a.home.auditTable) SET detail = 'x'") }
        #expect(throws: (any Error).self) { try a.home.execute("DELETE FROM \(a.home.auditTable)") }
        #expect(try AuditTrail.read(challenge: nil, limit: nil, services: services).verified == 4)

        try a.home.dropAuditProtection()
        try a.home.execute("UPDATE \(a.home.auditTable) SET detail = 'reason 20' WHERE seq = 3")
        let edited = failure { () throws(JudgeError) in
            try AuditTrail.read(challenge: nil, limit: nil, services: services)
        }
        #expect(
            edited?.code == .auditBroken && edited?.message.contains("event 3") == true, "\(String(describing: edited))"
        )
        try a.home.execute("DELETE FROM \(a.home.auditTable) WHERE seq = 3")
        let removed = failure { () throws(JudgeError) in
            try AuditTrail.read(challenge: nil, limit: nil, services: services)
        }
        #expect(removed?.code == .auditBroken && removed?.message.contains("event 4") == true)
    }

    /// Two processes appending at once chain every event to exactly one predecessor.
    @Test func concurrentAppendsKeepOneChain() async throws {
        let a = try Arena()
        defer { a.remove() }
        let services = a.services()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let own = a.home.services(at: Arena.day)  // its own connections, as another process
            for k in 0..<10 {
                AuditTrail.record(.clear, challenge: nil, subject: "\(worker)-\(k)", detail: "x", services: own)
            }
        }
        let trail = try AuditTrail.read(challenge: nil, limit: nil, services: services)
        #expect(trail.verified == 40 && Set(trail.events.compactMap(\.entry.subject)).count == 40)
    }
}
