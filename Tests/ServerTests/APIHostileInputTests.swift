import Foundation
import Testing

/// Hostile input to the API: names and messages that try to be paths, markup or terminal
/// escapes; bodies too big, too deep or not JSON; and the headers and limits every answer keeps.
@Suite("Hostile input to the API", .serialized)
struct APIHostileInputTests {
    /// Uploads `body` with raw (already percent-encoded) `Podium-File-Name` and `Podium-Message` values.
    func upload(_ s: LiveServer, fileName: String?, message: String? = nil, as who: String = "alice") throws
        -> RawHTTP.Reply
    {
        var headers = [("Content-Type", "application/octet-stream")]
        if let fileName { headers.append(("Podium-File-Name", fileName)) }
        if let message { headers.append(("Podium-Message", message)) }
        let body = try Data(contentsOf: URL(fileURLWithPath: s.predictions(1)))
        return try s.raw("POST", "/api/v1/challenges/arena/submissions", as: who, headers: headers, body: body)
    }

    /// The file name the server kept for a submission, as the submission's JSON and the list show it.
    func storedName(_ s: LiveServer, _ id: String) async throws -> (String, String) {
        let shown = try await s.request("GET", "/api/v1/submissions/\(id)", as: "alice")
        let listed = try await s.request("GET", "/api/v1/challenges/arena/submissions", as: "alice")
        let number = Int(id.split(separator: "-").last!)!
        let row = listed.array?.first { $0["id"] as? Int == number }
        return (shown.json?["file"] as? String ?? "?", row?["file"] as? String ?? "?")
    }

    @Test func aFileNameIsAPlainNameNeverAPath() async throws {
        let s = try LiveServer(yaml: "submissions:\n  per_day: 50\n")
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        let attempts: [(sent: String, kept: String)] = [
            ("../../etc/passwd", "passwd"),
            ("%2e%2e%2f%2e%2e%2fetc%2fpasswd", "passwd"),
            ("/etc/shadow", "shadow"),
            ("..", "upload"),
            ("%2e%2e", "upload"),
            ("a/b/..", "upload"),
            ("%2F", "upload"),
        ]
        for (k, attempt) in attempts.enumerated() {
            let reply = try upload(s, fileName: attempt.sent)
            #expect(reply.status == 202, "\(attempt.sent): \(reply.text)")
            let (shown, listed) = try await storedName(s, "arena-\(k + 1)")
            #expect(shown == attempt.kept && listed == attempt.kept, "\(attempt.sent) kept as \(shown) / \(listed)")
        }
        // Nothing was written outside the store: no file named like the attempts in the home or above it.
        for path in [s.home + "/passwd", s.root + "/passwd", s.home + "/.uploads/passwd", s.home + "/arena/passwd"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path)")
        }
        // The instructor's download names the file plainly too.
        try s.account("prof", role: "instructor")
        let download = try await s.request("GET", "/api/v1/submissions/arena-1/file", as: "prof")
        #expect(download.header("Content-Disposition") == "attachment; filename=\"passwd\"")
    }

    /// C0 controls (newline, escape, NUL) sent percent-encoded are dropped from the name and the message.
    @Test func controlCharactersAreDroppedFromNamesAndMessages() async throws {
        let s = try LiveServer(yaml: "submissions:\n  per_day: 50\n")
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        let reply = try upload(
            s, fileName: "a%0Ab%0D%1B%5B31mc%00d%7F.csv", message: "line%0Aone%1B%5B2J%07%00two%09tab")
        #expect(reply.status == 202, "\(reply.text)")
        let body = try await s.request("GET", "/api/v1/submissions/arena-1", as: "alice")
        let file = body.json?["file"] as? String ?? "?"
        let message = body.json?["message"] as? String ?? "?"
        #expect(file == "ab[31mcd.csv", "\(file.debugDescription)")
        #expect(message == "lineone[2Jtwotab", "\(message.debugDescription)")
        // The JSON text itself carries no raw control byte.
        #expect(!body.body.contains { $0 < 0x20 && $0 != 0x0A }, "\(body.text.debugDescription)")
    }

    /// C1 controls (U+0085 NEL, U+009B CSI) and format characters (U+202E right-to-left override,
    /// U+200B zero width space) are control or format characters too: Accounts refuses them in
    /// display names (`Accounts.unsafe`); a file name or message must not keep them either (an
    /// instructor's terminal or page would show `exe.csv` as `vsc.exe` after U+202E).
    @Test func unicodeControlAndFormatCharactersAreDroppedFromNamesAndMessages() async throws {
        let s = try LiveServer(yaml: "submissions:\n  per_day: 50\n")
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        let reply = try upload(
            s, fileName: "report%E2%80%AEvsc.exe%C2%85%C2%9B31m%E2%80%8B.csv", message: "hi%E2%80%AEereht%C2%85")
        #expect(reply.status == 202, "\(reply.text)")
        let body = try await s.request("GET", "/api/v1/submissions/arena-1", as: "alice")
        let file = body.json?["file"] as? String ?? "?"
        let message = body.json?["message"] as? String ?? "?"
        func unsafe(_ text: String) -> [String] {
            text.unicodeScalars.filter {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
            }.map { "U+" + String($0.value, radix: 16, uppercase: true) }
        }
        #expect(unsafe(file).isEmpty, "the stored file name keeps \(unsafe(file)): \(file.debugDescription)")
        #expect(unsafe(message).isEmpty, "the stored message keeps \(unsafe(message)): \(message.debugDescription)")
    }

    @Test func aMessageWithMarkupComesBackAsAJSONString() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        let markup = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>\"'&"
        let accepted = try await s.submit(try s.predictions(1), as: "alice", message: markup)
        #expect(accepted.status == 202)
        let reply = try await s.request("GET", "/api/v1/submissions/arena-1", as: "alice")
        #expect(reply.json?["message"] as? String == markup)
        #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true, "\(reply.headers)")
        #expect(reply.header("X-Content-Type-Options") == "nosniff")
        let list = try await s.request("GET", "/api/v1/challenges/arena/submissions", as: "alice")
        #expect(list.header("Content-Type")?.hasPrefix("application/json") == true)
    }

    @Test func badJSONBodiesAreClientErrorsNeverFaults() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        let json = [("Content-Type", "application/json")]
        // Too big for a JSON body (the limit is 256 KiB): 413 (or 400), never a 500.
        let huge = Data(("{\"name\": \"" + String(repeating: "a", count: 2_000_000) + "\", \"password\": \"x\"}").utf8)
        let big = try s.raw("POST", "/api/v1/tokens", headers: json, body: huge)
        #expect([400, 413].contains(big.status) && big.code != nil, "\(big.status) \(big.text.prefix(200))")
        // Deeply nested, within the size limit: a parser must not recurse its way to a crash.
        let deep = Data((String(repeating: "[", count: 120_000) + String(repeating: "]", count: 120_000)).utf8)
        let nested = try s.raw("POST", "/api/v1/tokens", headers: json, body: deep)
        #expect(nested.status == 400, "\(nested.status) \(nested.text.prefix(200))")
        #expect(try s.raw("GET", "/healthz").status == 200, "the server survived")
        // Not JSON, the wrong shape, the wrong types: 400 with Podium's {"error": {"code", "message"}}.
        let bodies = [
            "{not json", "", "null", "[]", #"{"name": "alice"}"#, #"{"name": 5, "password": []}"#, "\u{FEFF}{}",
            #"{"name": "alice", "password": "x""#,
        ]
        for text in bodies {
            let reply = try s.raw("POST", "/api/v1/tokens", headers: json, body: Data(text.utf8))
            #expect(reply.status == 400, "\(text.debugDescription) → \(reply.status) \(reply.text)")
            #expect(
                reply.code != nil && (reply.json?["error"] as? [String: Any])?["message"] is String,
                "\(text.debugDescription) → \(reply.text) (no error code)")
        }
        for (path, method) in [
            ("/api/v1/challenges/arena/selection", "PUT"), ("/api/v1/submissions/arena-1/clear", "POST"),
        ] {
            let reply = try s.raw(method, path, as: "alice", headers: json, body: Data("{oops".utf8))
            #expect([400, 403, 404].contains(reply.status) && reply.code != nil, "\(path): \(reply.text)")
        }
        let selection = try s.raw(
            "PUT", "/api/v1/challenges/arena/selection", as: "alice", headers: json,
            body: Data(#"{"ids": [99999999999999999999999]}"#.utf8))
        #expect(selection.status == 400 && selection.code != nil, "\(selection.text)")
    }

    @Test func anUnknownRouteIsA404InJSON() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        // (Outside /api/ an unknown path is the pages' HTML 404: PagesTests.)
        for path in ["/api/v1/nope", "/api/v2/me", "/api/v1/challenges/arena/secret"] {
            let reply = try await s.request("GET", path, as: "alice")
            #expect(reply.status == 404 && reply.code == "not_found", "\(path): \(reply.status) \(reply.text)")
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
        }
        let method = try await s.request("PATCH", "/api/v1/me", as: "alice")
        // A known path with a method it does not take: Hummingbird's router answers 404 (no 405), in JSON.
        #expect([404, 405].contains(method.status) && method.code != nil, "\(method.status) \(method.text)")
    }

    /// Every answer — 200, 201, 202, 204, 400, 401, 403, 404, 413, 429, 500, health and
    /// metrics — carries DESIGN §7's security headers.
    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let s = try LiveServer(yaml: "closes: 2099-01-01T00:00:00Z\n")
        defer { s.remove() }
        try s.account("alice")
        try s.account("carol")
        try s.account("dave")
        try s.setPassword("carol", "carol's good password")
        try s.start(["--max-upload-mb", "1", "--rate-limit", "40"])
        let json = [("Content-Type", "application/json")]
        var seen: Set<Int> = []
        func check(_ what: String, _ reply: RawHTTP.Reply) {
            seen.insert(reply.status)
            expectSecurityHeaders(what, status: reply.status, header: reply.header)
        }
        check("healthz", try s.raw("GET", "/healthz"))
        check("metrics", try s.raw("GET", "/metrics"))
        check("me", try s.raw("GET", "/api/v1/me", as: "alice"))
        check(
            "login",
            try s.raw(
                "POST", "/api/v1/tokens", headers: json,
                body: Data(#"{"name": "carol", "password": "carol's good password"}"#.utf8)))
        check("csv board", try s.raw("GET", "/api/v1/challenges/arena/leaderboard?format=csv", as: "alice"))
        check("file", try s.raw("GET", "/api/v1/challenges/arena/files/train.csv", as: "alice"))
        check("upload", try upload(s, fileName: "p.csv"))
        check("bad json", try s.raw("POST", "/api/v1/tokens", headers: json, body: Data("{".utf8)))
        check("no token", try s.raw("GET", "/api/v1/me"))
        check("private board", try s.raw("GET", "/api/v1/challenges/arena/leaderboard?board=private", as: "alice"))
        check("unknown", try s.raw("GET", "/api/v1/nope", as: "alice"))
        check("method", try s.raw("PATCH", "/api/v1/me", as: "alice"))
        let big = Data(repeating: 0x41, count: 1_200_000)
        check(
            "too large",
            try s.raw(
                "POST", "/api/v1/challenges/arena/submissions", as: "alice",
                headers: [("Content-Type", "application/octet-stream")], body: big))
        check("json too large", try s.raw("POST", "/api/v1/tokens", headers: json, body: big))
        var limited: RawHTTP.Reply? = nil
        for _ in 0..<90 {
            let r = try s.raw("GET", "/api/v1/me", as: "alice")
            if r.status == 429 {
                limited = r
                break
            }
        }
        if let limited { check("rate limited", limited) }
        check("logout", try s.raw("DELETE", "/api/v1/tokens/current", as: "carol"))
        // A judge fault: the uploads folder is a file, so an upload cannot be stored.
        try? FileManager.default.removeItem(atPath: s.home + "/.uploads")
        try "in the way".write(toFile: s.home + "/.uploads", atomically: false, encoding: .utf8)
        let fault = try upload(s, fileName: "p.csv", as: "dave")
        #expect(fault.status == 500 && fault.code == "internal", "\(fault.status) \(fault.text)")
        check("fault", fault)
        #expect(!fault.text.contains(s.home), "a fault's answer names no server path: \(fault.text)")
        for status in [200, 201, 202, 204, 400, 401, 403, 404, 413, 429, 500] {
            #expect(seen.contains(status), "no \(status) answer was produced to check (seen \(seen.sorted()))")
        }
    }

    @Test func thePerTokenRateLimitAnswers429WithRetryAfter() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.account("bob")
        try s.start(["--rate-limit", "20"])
        // 45 requests in at most two fixed one-minute windows: one window sees more than 20.
        var limited: RawHTTP.Reply? = nil
        var allowed = 0
        for _ in 0..<45 {
            let r = try s.raw("GET", "/api/v1/me", as: "alice")
            if r.status == 429 {
                limited = r
                break
            }
            allowed += 1
        }
        let reply = try #require(limited, "45 requests and no 429")
        #expect(allowed >= 1 && allowed <= 40)
        #expect(reply.code == "rate_limited", "\(reply.text)")
        let retry = Int(reply.header("Retry-After") ?? "") ?? -1
        #expect((1...60).contains(retry), "Retry-After: \(reply.header("Retry-After") ?? "none")")
        // Another token has its own budget.
        #expect(try s.raw("GET", "/api/v1/me", as: "bob").status == 200)
    }

    @Test func metricsNeverNameATokenOrAParticipant() async throws {
        let s = try LiveServer(teams: "member,team\nalice,zebra-team\n")
        defer { s.remove() }
        let token = try s.account("alice", display: "Alice Quokka")
        try s.start()
        #expect(try await s.submit(try s.predictions(1), as: "alice").status == 202)
        try await s.scored("arena-1", as: "alice")
        _ = try await s.request("GET", "/api/v1/submissions/arena-1", as: "alice")
        _ = try await s.request("GET", "/api/v1/me", token: token + "x")
        _ = try await s.request("GET", "/api/v1/challenges/arena/submissions?participant=alice", as: "alice")
        let metrics = try await s.request("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("podium_http_requests_total"), "the control: \(metrics.text.prefix(200))")
        for secret in ["alice", "Quokka", "zebra", token, String(token.dropFirst(4).prefix(16)), "pod_"] {
            #expect(!metrics.text.contains(secret), "/metrics contains \(secret.prefix(10))")
        }
    }

    /// docs/api.md: `/metrics` is for "anyone on the server's host (loopback)". Served on every
    /// address (`--host 0.0.0.0`), a request from another address must not read it.
    @Test func metricsAreForTheServersHostOnly() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        // An address of this machine that is not loopback (the test needs one).
        let addresses = try Run.command("/bin/sh", ["-c", "hostname -I"]).stdout.split(separator: " ")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let outside = try #require(
            addresses.first { $0.contains(".") && !$0.hasPrefix("127.") }, "no non-loopback IPv4 address here")
        try s.start(["--host", "0.0.0.0"])
        #expect(try s.raw("GET", "/metrics").status == 200, "the control: loopback reads /metrics")
        let remote = try RawHTTP.send("GET", "/metrics", host: outside, port: s.port)
        #expect(remote.status == 403 || remote.status == 404, "/metrics from \(outside): \(remote.status)")
        #expect(!remote.text.contains("podium_queue_depth"))
    }
}
