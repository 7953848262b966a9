import Foundation
import Testing

/// The audit trail over HTTP: actions taken through the API and the pages are recorded under
/// the signed-in account and the channel; instructors read it (API, `/admin/audit`, `podium
/// audit`), students never.
@Suite("Audit trail over HTTP", .serialized)
struct AuditTrailTests {
    @Test func actionsThroughTheServerAreRecordedUnderTheAccountAndOnlyInstructorsReadThem() async throws {
        let s = try LiveServer(yaml: "submissions:\n  per_day: 1\n")
        defer { s.remove() }
        try s.account("alice")
        try s.account("prof", role: "instructor")
        try s.start()
        #expect(try await s.submit(s.predictions(0.5), as: "alice").status == 202)
        try await s.scored("arena-1", as: "prof")
        // The second of one a day: refused, and recorded as alice's, through the API.
        let refused = try await s.submit(s.predictions(0.25), as: "alice")
        #expect(refused.status == 429, "\(refused.text)")
        let started = try s.raw("POST", "/api/v1/challenges/arena/rescore", as: "prof")
        #expect(started.status == 202)
        var done = false
        for _ in 0..<100 where !done {
            let job = try s.raw("GET", "/api/v1/jobs/1", as: "prof")
            done = (job.json?["state"] as? String) == "done"
            if !done { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(done)

        let reply = try s.raw("GET", "/api/v1/challenges/arena/audit", as: "prof")
        #expect(reply.status == 200, "\(reply.text)")
        let events = reply.json?["events"] as? [[String: Any]] ?? []
        let rows = events.map { "\($0["action"] ?? "") \($0["actor"] ?? "") \($0["via"] ?? "")" }
        // Published from the command line by the machine's user, then alice's refusal, prof's re-score.
        #expect(rows.count == 3 && rows[0].hasPrefix("publish ") && rows[0].hasSuffix(" cli"), "\(rows)")
        #expect(Array(rows.dropFirst()) == ["refused alice api", "rescore prof api"], "\(rows)")
        #expect((reply.json?["verified"] as? Int) ?? 0 >= 5, "\(reply.text)")  // + the two accounts, the tokens
        let course = try s.raw("GET", "/api/v1/audit?limit=2", as: "prof")
        #expect((course.json?["events"] as? [[String: Any]])?.count == 2)

        // The page: the instructor's, newest first; a student's is refused.
        let page = try s.raw(
            "GET", "/admin/audit?challenge=arena", headers: [("Cookie", "podium_session=\(s.tokens["prof"]!)")])
        #expect(page.status == 200)
        let html = page.text
        let rescore = html.range(of: ">rescore<")
        let refusal = html.range(of: ">refused<")
        #expect(rescore != nil && refusal != nil && rescore!.lowerBound < refusal!.lowerBound, "\(html.prefix(3000))")
        #expect(html.contains("limit_reached"))
        let student = try s.raw("GET", "/admin/audit", headers: [("Cookie", "podium_session=\(s.tokens["alice"]!)")])
        #expect(student.status == 403 && !student.text.contains("limit_reached"))
        // The admin page shows the trail's last events.
        let admin = try s.raw("GET", "/admin", headers: [("Cookie", "podium_session=\(s.tokens["prof"]!)")])
        #expect(admin.status == 200 && admin.text.contains("Audit trail") && admin.text.contains(">rescore<"))

        // The remote command line reads the same trail.
        let remote = try s.podiumRemote(["audit", "arena", "--json"], as: "prof")
        #expect(remote.status == 0, "\(remote.stderr)")
        let body = try JSONSerialization.jsonObject(with: Data(remote.stdout.utf8)) as? [String: Any]
        #expect((body?["events"] as? [[String: Any]])?.count == 3)
        let denied = try s.podiumRemote(["audit"], as: "alice")
        #expect(denied.status == 1 && denied.stderr.contains("forbidden"), "\(denied.stderr)")
    }
}
