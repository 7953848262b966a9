import Foundation
import Testing

/// DESIGN §7's access policy as one table, route × role → status, checked over real HTTP
/// (raw requests: paths reach the server exactly as written, `..` and `%2e` included).
///
/// The course: the arena challenge (closes in 2099, so the private board is hidden from
/// students), `teams.csv` puts alice and carol in team red; bob is alone; prof is an
/// instructor. alice's submission is arena-1, bob's arena-2, both scored before the table runs.
@Suite("Authorization matrix", .serialized)
struct AuthorizationMatrixTests {
    /// The roles, in the order of each row's statuses.
    static let roles: [String?] = [nil, "alice", "bob", "carol", "prof"]

    struct Row {
        var method: String
        var path: String
        var body: String?
        /// anonymous, alice (student, team red), bob (student, another team), carol (alice's teammate), prof (instructor)
        var statuses: [Int]
        /// For lists: the submission numbers each role sees (same order).
        var listed: [[Int]]?
        /// What protection this row exercises (printed when it fails).
        var why: String
    }

    static func row(
        _ method: String, _ path: String, _ statuses: [Int], body: String? = nil, listed: [[Int]]? = nil,
        _ why: String
    ) -> Row {
        Row(method: method, path: path, body: body, statuses: statuses, listed: listed, why: why)
    }

    /// The policy. Rows with side effects (selection, rescore, submit) come last.
    //            anon alice bob carol prof
    static let table: [Row] = [
        row("GET", "/api/v1/me", [401, 200, 200, 200, 200], "any account; no token → 401"),
        row("GET", "/api/v1/challenges", [401, 200, 200, 200, 200], "any account"),
        row("GET", "/api/v1/challenges/arena", [401, 200, 200, 200, 200], "any account"),
        row("GET", "/api/v1/challenges/arena/files/train.csv", [401, 200, 200, 200, 200], "a public file"),
        row("GET", "/api/v1/challenges/arena/files/test.csv", [401, 200, 200, 200, 200], "a public file"),
        // Only the catalog's public files: never the solution or the configuration, even for instructors.
        row("GET", "/api/v1/challenges/arena/files/solution.csv", [401, 404, 404, 404, 404], "never the solution"),
        row("GET", "/api/v1/challenges/arena/files/challenge.yaml", [401, 404, 404, 404, 404], "not a public file"),
        row("GET", "/api/v1/challenges/arena/files/teams.csv", [401, 404, 404, 404, 404], "not a public file"),
        row("GET", "/api/v1/challenges/arena/files/../solution.csv", [404, 404, 404, 404, 404], "dot segments"),
        row(
            "GET", "/api/v1/challenges/arena/files/%2e%2e%2fsolution.csv", [401, 404, 404, 404, 404],
            "an encoded ../ in the file name"),
        row(
            "GET", "/api/v1/challenges/arena/files/..%2F..%2Faccounts.sqlite", [401, 404, 404, 404, 404],
            "an encoded ../../ out of the version folder"),
        row(
            "GET", "/api/v1/challenges/arena/files/%2e%2e%2f%2e%2e%2farena%2fpodium.sqlite",
            [401, 404, 404, 404, 404], "the challenge's database through an encoded path"),
        // Challenge ids are names, never paths (the use cases would also accept a folder).
        row("GET", "/api/v1/challenges/..", [401, 404, 404, 404, 404], "challenge id '..'"),
        row("GET", "/api/v1/challenges/%2e%2e", [401, 404, 404, 404, 404], "challenge id '%2e%2e'"),
        row("GET", "/api/v1/challenges/%2fetc", [401, 404, 404, 404, 404], "challenge id '/etc' encoded"),
        row(
            "GET", "/api/v1/challenges//etc", [401, 404, 404, 404, 404],
            "challenge id '/etc' (an empty segment is dropped)"),
        row("GET", "/api/v1/challenges/arena/../arena", [404, 404, 404, 404, 404], "challenge id 'arena/../arena'"),
        row(
            "GET", "/api/v1/challenges/accounts.sqlite", [401, 404, 404, 404, 404],
            "a file of the home, not a challenge"),
        row("GET", "/api/v1/challenges/server.lock", [401, 404, 404, 404, 404], "a file of the home, not a challenge"),
        row("GET", "/api/v1/challenges/.uploads", [401, 404, 404, 404, 404], "a folder of the home, not a challenge"),
        row(
            "GET", "/api/v1/challenges/%2e%2e%2farena/files/train.csv", [401, 404, 404, 404, 404],
            "'../arena' as a challenge id"),
        // Boards: the public one for everyone signed in; the private one before `closes` for instructors only.
        row("GET", "/api/v1/challenges/arena/leaderboard", [401, 200, 200, 200, 200], "the public board"),
        row("GET", "/api/v1/challenges/arena/leaderboard?format=csv", [401, 200, 200, 200, 200], "the public board"),
        row(
            "GET", "/api/v1/challenges/arena/leaderboard?board=private", [401, 403, 403, 403, 200],
            "private board before closes"),
        row(
            "GET", "/api/v1/challenges/arena/leaderboard?board=private&format=csv", [401, 403, 403, 403, 200],
            "private board before closes (csv)"),
        // Submissions: the owner and the team, the instructor; anyone else 404, as if it did not exist.
        row("GET", "/api/v1/submissions/arena-1", [401, 200, 404, 200, 200], "alice's: owner, teammate, instructor"),
        row("GET", "/api/v1/submissions/arena-1?wait=1", [401, 200, 404, 200, 200], "alice's, long-polled"),
        row("GET", "/api/v1/submissions/arena-2", [401, 404, 200, 404, 200], "bob's: only bob and the instructor"),
        row("GET", "/api/v1/submissions/arena-99", [401, 404, 404, 404, 404], "none: the same 404 as another's"),
        row("GET", "/api/v1/submissions/arena-0", [401, 404, 404, 404, 404], "no submission 0"),
        row("GET", "/api/v1/submissions/..-1", [401, 404, 404, 404, 404], "a path as the challenge of an id"),
        row("GET", "/api/v1/submissions/accounts.sqlite-1", [401, 404, 404, 404, 404], "a home file as a challenge"),
        // A submitted file: the instructor's only (a student gets 403 whether it exists or not).
        row("GET", "/api/v1/submissions/arena-1/file", [401, 403, 403, 403, 200], "download: instructor only"),
        row("GET", "/api/v1/submissions/arena-2/file", [401, 403, 403, 403, 200], "download: instructor only"),
        row("GET", "/api/v1/submissions/arena-99/file", [401, 403, 403, 403, 404], "no existence oracle"),
        // Lists: a student's is their team's, whatever `participant` asks for; the instructor's is all or one.
        row(
            "GET", "/api/v1/challenges/arena/submissions", [401, 200, 200, 200, 200],
            listed: [[], [1], [2], [1], [1, 2]], "own team's list"),
        row(
            "GET", "/api/v1/challenges/arena/submissions?participant=alice", [401, 200, 200, 200, 200],
            listed: [[], [1], [2], [1], [1]], "?participant= is ignored for students"),
        row(
            "GET", "/api/v1/challenges/arena/submissions?participant=bob", [401, 200, 200, 200, 200],
            listed: [[], [1], [2], [1], [2]], "?participant= is ignored for students"),
        row(
            "GET", "/api/v1/challenges/arena/submissions?participant=red", [401, 200, 200, 200, 200],
            listed: [[], [1], [2], [1], [1]], "a team name as the filter"),
        // Instructor-only routes: 403 for students.
        row("GET", "/api/v1/challenges/arena/check", [401, 403, 403, 403, 200], "the check report"),
        row("GET", "/api/v1/jobs/1", [401, 403, 403, 403, 404], "jobs: instructor only (none yet)"),
        row(
            "POST", "/api/v1/submissions/arena-1/clear", [401, 403, 403, 403, 409], body: #"{"reason": "ok"}"#,
            "clear: instructor only (arena-1 is not held)"),
        row(
            "POST", "/api/v1/challenges", [401, 403, 403, 403, 400], body: "not an archive",
            "publish: instructor only (a bad archive)"),
        row("GET", "/api/v1/audit", [401, 403, 403, 403, 200], "the course's audit trail: instructor only"),
        row("GET", "/api/v1/challenges/arena/audit", [401, 403, 403, 403, 200], "a challenge's trail"),
        row("GET", "/api/v1/challenges/nope/audit", [401, 403, 403, 403, 404], "the trail of no challenge"),
        row("GET", "/api/v1/challenges/%2fetc/audit", [401, 403, 403, 403, 404], "a path as the challenge id"),
        row("GET", "/api/v1/audit?limit=-1", [401, 403, 403, 403, 400], "a negative limit"),
        row("GET", "/api/v1/nope", [404, 404, 404, 404, 404], "an unknown route"),
        row(
            "POST", "/api/v1/tokens", [401, 401, 401, 401, 401], body: #"{"name": "alice", "password": "not hers!!"}"#,
            "a wrong password, whoever asks"),
        // Selection: a team's own scored submissions; another team's id is not found.
        row(
            "PUT", "/api/v1/challenges/arena/selection", [401, 200, 404, 200, 404], body: #"{"ids": [1]}"#,
            "select team red's arena-1"),
        row(
            "PUT", "/api/v1/challenges/arena/selection", [401, 404, 200, 404, 404], body: #"{"ids": [2]}"#,
            "select bob's arena-2"),
        row("POST", "/api/v1/challenges/arena/rescore", [401, 403, 403, 403, 202], "rescore: instructor only"),
        row("GET", "/api/v1/jobs/1", [401, 403, 403, 403, 200], "the rescore job"),
    ]

    @Test func everyRouteAndRoleAnswersAsThePolicySays() async throws {
        let s = try LiveServer(
            yaml: "closes: 2099-01-01T00:00:00Z\nsubmissions:\n  per_day: 50\n",
            teams: "member,team\nalice,red\ncarol,red\n")
        defer { s.remove() }
        for name in ["alice", "bob", "carol"] { try s.account(name) }
        try s.account("prof", role: "instructor")
        try s.start()
        #expect(try await s.submit(s.predictions(0.5, 1), as: "alice").status == 202)
        #expect(try await s.submit(s.predictions(0.25, 2), as: "bob").status == 202)
        try await s.scored("arena-1", as: "prof")
        try await s.scored("arena-2", as: "prof")

        var failures: [String] = []
        for row in Self.table {
            for (k, role) in Self.roles.enumerated() {
                var headers: [(String, String)] = []
                if row.body != nil { headers.append(("Content-Type", "application/json")) }
                let reply = try s.raw(
                    row.method, row.path, as: role, headers: headers, body: Data((row.body ?? "").utf8))
                let who = role ?? "anonymous"
                if reply.status != row.statuses[k] {
                    failures.append(
                        "\(row.method) \(row.path) as \(who): \(reply.status), expected \(row.statuses[k]) (\(row.why)) "
                            + reply.text.prefix(200))
                    continue
                }
                if let listed = row.listed, reply.status == 200 {
                    let rows = (try? JSONSerialization.jsonObject(with: reply.body)) as? [[String: Any]] ?? []
                    let ids = rows.compactMap { ($0["id"] as? Int) ?? ($0["submission"] as? Int) }.sorted()
                    if ids != listed[k] {
                        failures.append("\(row.method) \(row.path) as \(who): lists \(ids), expected \(listed[k])")
                    }
                }
                // Every error is Podium's JSON error, whatever the route.
                if reply.status >= 400 && reply.code == nil {
                    failures.append("\(row.method) \(row.path) as \(who): \(reply.status) without an error code")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) cells differ:\n\(failures.joined(separator: "\n"))")

        // Uploading: students and instructors may, nobody anonymous (last: it adds submissions).
        let upload = try Data(contentsOf: URL(fileURLWithPath: s.predictions(1)))
        for (k, role) in Self.roles.enumerated() {
            let reply = try s.raw(
                "POST", "/api/v1/challenges/arena/submissions", as: role,
                headers: [("Content-Type", "application/octet-stream"), ("Podium-File-Name", "p.csv")], body: upload)
            #expect(reply.status == [401, 202, 202, 202, 202][k], "submit as \(role ?? "anonymous"): \(reply.text)")
        }
    }
}
