import Foundation
import Testing

/// Tokens over HTTP: a revoked, disabled-account, expired or malformed one is `401` (never a
/// quiet anonymous request); no token is ever written to the server's log; the login throttle.
@Suite("Tokens and logins", .serialized)
struct TokenTests {
    @Test func aRevokedTokenIsRefusedAndOnlyThatOne() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        let first = try s.account("alice")
        let second = try s.podium(["users", "token", "alice"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try s.start()
        #expect(try await s.request("GET", "/api/v1/me", token: first).status == 200)
        let out = try await s.request("DELETE", "/api/v1/tokens/current", token: first)
        #expect(out.status == 204, "\(out.text)")
        let again = try await s.request("GET", "/api/v1/me", token: first)
        #expect(again.status == 401 && again.code == "unauthorized", "\(again.status) \(again.text)")
        // Revoking twice is still 401 (the token is gone), never a 204 or a 500.
        #expect(try await s.request("DELETE", "/api/v1/tokens/current", token: first).status == 401)
        #expect(try await s.request("DELETE", "/api/v1/tokens/current").status == 401)
        // The account's other token lives on.
        #expect(try await s.request("GET", "/api/v1/me", token: second).status == 200)
    }

    @Test func aRemovedAccountsTokenIsRefused() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.account("bob")
        try s.start()
        #expect(try await s.request("GET", "/api/v1/me", as: "bob").status == 200)
        #expect(try s.podium(["users", "remove", "bob"]).status == 0)
        let after = try await s.request("GET", "/api/v1/me", as: "bob")
        #expect(after.status == 401 && after.code == "unauthorized", "\(after.status) \(after.text)")
        // Nor can it upload.
        let upload = try await s.submit(try s.predictions(1), as: "bob")
        #expect(upload.status == 401)
        #expect(try await s.request("GET", "/api/v1/me", as: "alice").status == 200)
    }

    /// A web session token (14 days) is a row with `expiresAt`; one in the past is refused, one in
    /// the future (the control: the inserted row is well formed) is accepted.
    @Test func anExpiredTokenIsRefused() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        let expired = try s.insertToken("alice", expiresAt: "2020-01-01T00:00:00.000Z")
        let live = try s.insertToken("alice", expiresAt: "2099-01-01T00:00:00.000Z")
        try s.start()
        #expect(try await s.request("GET", "/api/v1/me", token: live).status == 200)
        let old = try await s.request("GET", "/api/v1/me", token: expired)
        #expect(old.status == 401 && old.code == "unauthorized", "\(old.status) \(old.text)")
        // The server's clock decides: at a time before the expiry the same token is live.
        s.stop()
        try s.start(environment: ["PODIUM_NOW": "2019-12-15T00:00:00Z"])
        #expect(try await s.request("GET", "/api/v1/me", token: expired).status == 200)
    }

    @Test func aMalformedAuthorizationHeaderIsRefused() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        let token = try s.account("alice")
        try s.start()
        let refused = [
            "Bearer", "Bearer ", "Basic YWxpY2U6cGFzc3dvcmQ=", "Token \(token)", token, "Bearer \(token)x",
            "Bearer \(token.dropLast())", "Bearer pod_",
            "Bearer \(token.replacingOccurrences(of: "pod_", with: "inv_"))",
            "Bearer \(token) \(token)", "Bearer \(token.uppercased())", "Bearer " + String(repeating: "A", count: 4000),
            "Bearer '\(token)'", "Bearer \(token);",
        ]
        for header in refused {
            let reply = try s.raw("GET", "/api/v1/me", headers: [("Authorization", header)])
            #expect(
                reply.status == 401 && reply.code == "unauthorized",
                "Authorization: \(header.prefix(60)) → \(reply.status) \(reply.text)")
        }
        // A bad token is refused even where no account is needed (never a quiet anonymous request).
        let health = try s.raw("GET", "/api/v1/challenges/arena", headers: [("Authorization", "Bearer nope")])
        #expect(health.status == 401)
        // The scheme's case does not matter (RFC 9110); the token must be exact.
        #expect(try s.raw("GET", "/api/v1/me", headers: [("Authorization", "bearer \(token)")]).status == 200)
        // A stale or forged session cookie is no session: 401, not someone's account.
        let cookie = try s.raw("GET", "/api/v1/me", headers: [("Cookie", "podium_session=\(token)x")])
        #expect(cookie.status == 401)
    }

    /// Tokens go in headers and bodies only; after requests with good, bad, revoked tokens, and
    /// errors on every route group, the serve log holds none of them (nor a password).
    @Test func noTokenOrPasswordEverReachesTheLog() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        let alice = try s.account("alice")
        let prof = try s.account("prof", role: "instructor")
        try s.setPassword("alice", "correct horse battery")
        try s.start()
        let login = try await s.request(
            "POST", "/api/v1/tokens", body: Data(#"{"name": "alice", "password": "correct horse battery"}"#.utf8),
            headers: ["Content-Type": "application/json"])
        #expect(login.status == 201, "\(login.text)")
        let issued = login.json?["token"] as? String ?? "missing"
        _ = try await s.request(
            "POST", "/api/v1/tokens", body: Data(#"{"name": "alice", "password": "wrong battery horse"}"#.utf8),
            headers: ["Content-Type": "application/json"])
        let forged = "pod_" + String(repeating: "Z", count: 43)
        for token in [alice, prof, issued, forged, "pod_short"] {
            for path in [
                "/api/v1/me", "/api/v1/challenges/arena", "/api/v1/submissions/arena-9", "/api/v1/nope",
                "/api/v1/challenges/arena/check", "/metrics", "/healthz",
            ] {
                _ = try await s.request("GET", path, token: token)
            }
            _ = try await s.submit(try s.predictions(1), as: "alice")
            _ = try await s.request("POST", "/api/v1/challenges", token: token, body: Data("junk".utf8))
        }
        _ = try await s.request("DELETE", "/api/v1/tokens/current", token: issued)
        _ = try await s.request("GET", "/api/v1/me", token: issued)
        // A judge fault is logged (with details): make one, and check it names no token either.
        try? FileManager.default.removeItem(atPath: s.home + "/.uploads")
        try "in the way".write(toFile: s.home + "/.uploads", atomically: false, encoding: .utf8)
        let fault = try await s.submit(try s.predictions(1), as: "alice")
        #expect(fault.status == 500, "\(fault.text)")
        s.stop()
        let log = s.log
        #expect(log.contains("error on POST"), "the control: a fault was logged: \(log)")
        for secret in [alice, prof, issued, forged, "correct horse battery", "wrong battery horse"] {
            #expect(!log.contains(secret), "the serve log contains \(secret.prefix(8))…:\n\(log)")
        }
        // Nor the part after the prefix (a token cut or re-encoded).
        for token in [alice, prof, issued] { #expect(!log.contains(String(token.dropFirst(4).prefix(20)))) }
    }

    /// 10 failed logins for a name in 15 minutes: the 11th is `429 too_many_attempts`, even with
    /// the right password; another name is unaffected.
    @Test func theLoginThrottleHoldsOverHTTP() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.account("bob")
        try s.setPassword("alice", "alice's good password")
        try s.setPassword("bob", "bob's good password")
        try s.start()
        func login(_ name: String, _ password: String) async throws -> LiveServer.Reply {
            let body = try JSONSerialization.data(withJSONObject: ["name": name, "password": password])
            return try await s.request(
                "POST", "/api/v1/tokens", body: body, headers: ["Content-Type": "application/json"])
        }
        // The control: the hash written for the test is accepted.
        let good = try await login("alice", "alice's good password")
        #expect(good.status == 201 && (good.json?["token"] as? String)?.hasPrefix("pod_") == true, "\(good.text)")
        for k in 1...10 {
            let bad = try await login("alice", "guess number \(k)")
            #expect(bad.status == 401 && bad.code == "bad_credentials", "try \(k): \(bad.status) \(bad.text)")
        }
        let eleventh = try await login("alice", "alice's good password")
        #expect(eleventh.status == 429 && eleventh.code == "too_many_attempts", "\(eleventh.status) \(eleventh.text)")
        #expect(eleventh.json?["token"] == nil)
        // The name is folded: ALICE is alice.
        #expect(try await login(" ALICE ", "alice's good password").status == 429)
        let other = try await login("bob", "bob's good password")
        #expect(other.status == 201, "\(other.text)")
    }

    /// A wrong name, a wrong password and a disabled account look the same: status and body.
    @Test func wrongNameAndWrongPasswordLookAlike() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.account("carol")
        try s.setPassword("alice", "alice's good password")
        try s.setPassword("carol", "carol's good password")
        #expect(try s.podium(["users", "remove", "carol"]).status == 0)
        try s.start()
        func login(_ name: String, _ password: String) async throws -> LiveServer.Reply {
            let body = try JSONSerialization.data(withJSONObject: ["name": name, "password": password])
            return try await s.request(
                "POST", "/api/v1/tokens", body: body, headers: ["Content-Type": "application/json"])
        }
        let wrongPassword = try await login("alice", "not the password")
        let wrongName = try await login("zed", "not the password")
        let disabled = try await login("carol", "carol's good password")
        let invalidName = try await login("Not A Name!", "not the password")
        #expect(wrongPassword.status == 401 && wrongPassword.code == "bad_credentials", "\(wrongPassword.text)")
        for other in [wrongName, disabled, invalidName] {
            #expect(other.status == wrongPassword.status && other.text == wrongPassword.text, "\(other.text)")
        }
    }
}
