import Foundation
import Testing

/// The web pages served by a real `podium serve`: who sees which page, the session cookie,
/// CSRF on every form, and stored text rendered inert.
@Suite("Web pages", .serialized)
struct PagesTests {
    static let challengePages = ["/c/arena", "/c/arena/leaderboard", "/c/arena/submit", "/c/arena/submissions"]

    @Test func eachPageForItsRoles() throws {
        let s = try PageServer()
        defer { s.remove() }
        try s.account("prof", role: "instructor")
        try s.account("alice")
        try s.account("bob")
        try s.start()
        // Signed out: a welcome, a login form, and a redirect to it from every page that needs an account.
        let home = try s.request("GET", "/")
        #expect(home.status == 200 && home.body.contains("href=\"/login\""))
        #expect(try s.request("GET", "/login").status == 200)
        for path in ["/account", "/admin", "/admin/c/arena/check", "/c/arena/submissions/1"] + Self.challengePages {
            let r = try s.request("GET", path)
            #expect(r.status == 302, "\(path)")
            #expect(r.header("Location") == "/login?next=" + path, "\(path)")
        }
        // A student: every page of theirs; the admin pages are 403 pages.
        for path in ["/", "/account"] + Self.challengePages {
            let r = try s.request("GET", path, as: "alice")
            #expect(r.status == 200, "\(path): \(r.body)")
            #expect(r.header("Content-Type") == "text/html; charset=utf-8")
        }
        for path in ["/admin", "/admin/c/arena/check", "/admin/jobs/1"] {
            let r = try s.request("GET", path, as: "alice")
            #expect(r.status == 403 && r.body.contains("<h1>Not allowed</h1>"), "\(path)")
        }
        // An instructor: the admin pages too.
        for path in ["/", "/account", "/admin", "/admin/c/arena/check"] + Self.challengePages {
            #expect(try s.request("GET", path, as: "prof").status == 200, "\(path)")
        }
        // Unknown pages and challenges are 404 pages (HTML, not the API's JSON).
        for path in ["/nowhere", "/c/nothing", "/c/arena/submissions/99", "/admin/jobs/99", "/c/arena/x/y/z"] {
            let r = try s.request("GET", path, as: "prof")
            #expect(r.status == 404 && r.body.contains("<h1>Not found</h1>"), "\(path): \(r.status)")
        }
        #expect(try s.request("GET", "/nowhere").status == 404)
        // A submission: its team sees it, another student gets 404 (existence not revealed), the instructor sees it.
        let form = try s.request("GET", "/c/arena/submit", as: "alice")
        let sent = try s.submitForm(
            as: "alice", csrf: form.csrf, fileName: "p.csv", file: PageServer.predictions(0.5), message: "first")
        #expect(
            sent.status == 303 && sent.header("Location") == "/c/arena/submissions/1", "\(sent.status) \(sent.body)")
        let page = try s.waitFinal(1, as: "alice")
        #expect(page.body.contains("status-scored"), "\(page.body)")
        #expect(page.body.contains("0.500000"))
        #expect(try s.request("GET", "/c/arena/submissions/1", as: "bob").status == 404)
        #expect(try s.request("GET", "/c/arena/submissions/1", as: "prof").status == 200)
        let mine = try s.request("GET", "/c/arena/submissions", as: "alice")
        #expect(mine.body.contains("/c/arena/submissions/1\""))
        #expect(!(try s.request("GET", "/c/arena/submissions", as: "bob")).body.contains("/c/arena/submissions/1\""))
        let board = try s.request("GET", "/c/arena/leaderboard", as: "bob")
        #expect(board.body.contains("<td>alice</td>") && board.body.contains("<svg"))
        // Before the close the private board shows to instructors only.
        #expect(board.body.contains("shows after the challenge closes") || board.body.contains("no closing time"))
        #expect(try s.request("GET", "/c/arena/leaderboard", as: "prof").body.contains("private leaderboard"))
        // The overview: the data linked (publish keeps test.csv; README.md: see PageUnitTests).
        let overview = try s.request("GET", "/c/arena", as: "alice")
        #expect(overview.body.contains("/api/v1/challenges/arena/files/test.csv"))
        // The stylesheet and the script are ours, with their types; every page has the CSP.
        #expect(try s.request("GET", "/static/podium.css").header("Content-Type") == "text/css; charset=utf-8")
        #expect(try s.request("GET", "/static/status.js").header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(home.header("Content-Security-Policy")?.hasPrefix("default-src 'self'") == true)
        #expect(!home.body.contains("style=") && !home.body.contains("<script>"))
    }

    @Test func loginSetsTheSessionCookie() throws {
        let s = try PageServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        // The invite sets the password and signs in.
        let code = try #require(s.invites["alice"])
        #expect(try s.request("GET", "/invite/\(code)").status == 200)
        let differ = try s.post("/invite/\(code)", ["password": "a long password", "again": "another one"])
        #expect(differ.status == 400)
        let redeemed = try s.post("/invite/\(code)", ["password": "a long password", "again": "a long password"])
        #expect(redeemed.status == 303 && redeemed.header("Location") == "/")
        let cookie = try #require(redeemed.header("Set-Cookie"))
        #expect(cookie.hasPrefix("podium_session=pod_"))
        #expect(
            try s.post("/invite/\(code)", ["password": "a long password", "again": "a long password"]).status == 404)
        // Login: the cookie's attributes; no Secure over plain HTTP.
        let login = try s.post("/login", ["name": "alice", "password": "a long password"])
        #expect(login.status == 303 && login.header("Location") == "/")
        let set = try #require(login.header("Set-Cookie"))
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] { #expect(set.contains(attribute), "\(set)") }
        #expect(!set.contains("Secure"))
        let session = String(set.dropFirst("podium_session=".count).prefix { $0 != ";" })
        #expect(try s.request("GET", "/account", cookie: session).body.contains("(this session)"))
        // A wrong password and an unknown name: the same 401 form, nothing echoed but the name.
        let wrong = try s.post("/login", ["name": "alice", "password": "not the password"])
        let unknown = try s.post("/login", ["name": "nobody", "password": "not the password"])
        #expect(wrong.status == 401 && unknown.status == 401)
        #expect(wrong.body.contains("wrong name or password") && unknown.body.contains("wrong name or password"))
        #expect(!wrong.body.contains("not the password"))
        #expect(wrong.header("Set-Cookie") == nil)
        // A redirect after login stays on this site.
        let elsewhere = try s.post(
            "/login", ["name": "alice", "password": "a long password", "next": "//evil.example"])
        #expect(elsewhere.header("Location") == "/")
        let back = try s.post("/login", ["name": "alice", "password": "a long password", "next": "/c/arena"])
        #expect(back.header("Location") == "/c/arena")
        // Logout revokes the session and clears the cookie.
        let page = try s.request("GET", "/account", cookie: session)
        let out = try s.post("/logout", cookie: session, ["csrf": try #require(page.csrf)])
        #expect(out.status == 303)
        #expect(out.header("Set-Cookie")?.contains("Max-Age=0") == true)
        #expect(try s.request("GET", "/account", cookie: session).status == 302)
    }

    @Test func cookieIsSecureBehindHTTPS() throws {
        let s = try PageServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start(["--public-url", "https://judge.example.edu"])
        let code = try #require(s.invites["alice"])
        let redeemed = try s.post("/invite/\(code)", ["password": "a long password", "again": "a long password"])
        let set = try #require(redeemed.header("Set-Cookie"))
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"] { #expect(set.contains(attribute), "\(set)") }
        // The instructor's invite link uses the public address.
        try s.account("prof", role: "instructor")
        let admin = try s.request("GET", "/admin", as: "prof")
        let added = try s.post("/admin/accounts", as: "prof", ["csrf": try #require(admin.csrf), "name": "carol"])
        #expect(added.status == 201 && added.body.contains("https://judge.example.edu/invite/inv_"), "\(added.body)")
    }

    @Test func formsNeedTheSessionsCSRFToken() throws {
        let s = try PageServer()
        defer { s.remove() }
        try s.account("prof", role: "instructor")
        try s.account("alice")
        try s.start()
        let mine = try #require(try s.request("GET", "/account", as: "alice").csrf)
        let theirs = try #require(try s.request("GET", "/account", as: "prof").csrf)
        #expect(mine != theirs)
        // Without the token, with another session's, and signed out: 403; with it: done.
        #expect(try s.post("/account/tokens", as: "alice", ["label": "x"]).status == 403)
        #expect(try s.post("/account/tokens", as: "alice", ["label": "x", "csrf": theirs]).status == 403)
        #expect(try s.post("/account/tokens", ["label": "x", "csrf": mine]).status == 403)
        let made = try s.post("/account/tokens", as: "alice", ["label": "laptop", "csrf": mine])
        #expect(made.status == 200 && made.body.contains("class=\"secret\">pod_"), "\(made.body)")
        // The new token works on the API, and is never shown again.
        let token = String(made.body[made.body.range(of: "class=\"secret\">")!.upperBound...].prefix { $0 != "<" })
        #expect(!(try s.request("GET", "/account", as: "alice")).body.contains(token))
        #expect(try s.request("GET", "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        // Revoke: 403 without the token, then done.
        let id = try #require(try s.podium(["users", "list"]).status == 0 ? tokenId(s, "alice", label: "laptop") : nil)
        #expect(try s.post("/account/tokens/\(id)/revoke", as: "alice", [:]).status == 403)
        #expect(try s.post("/account/tokens/\(id)/revoke", as: "alice", ["csrf": mine]).status == 303)
        #expect(try s.request("GET", "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]).status == 401)
        // The submit form, the logout, the admin's forms.
        let file = PageServer.predictions(1)
        #expect(try s.submitForm(as: "alice", csrf: nil, fileName: "p.csv", file: file).status == 403)
        #expect(try s.submitForm(as: "alice", csrf: theirs, fileName: "p.csv", file: file).status == 403)
        #expect(try s.submitForm(as: "alice", csrf: mine, fileName: "p.csv", file: file).status == 303)
        #expect(try s.post("/logout", as: "alice", [:]).status == 403)
        let profCSRF = try #require(try s.request("GET", "/admin", as: "prof").csrf)
        #expect(try s.post("/admin/accounts", as: "prof", ["name": "dave"]).status == 403)
        #expect(try s.post("/admin/accounts", as: "prof", ["name": "dave", "csrf": mine]).status == 403)
        #expect(try s.post("/admin/accounts", as: "alice", ["name": "dave", "csrf": mine]).status == 403)
        #expect(try s.post("/admin/accounts", as: "prof", ["name": "dave", "csrf": profCSRF]).status == 201)
        #expect(try s.post("/admin/c/arena/rescore", as: "prof", [:]).status == 403)
        let rescore = try s.post("/admin/c/arena/rescore", as: "prof", ["csrf": profCSRF])
        #expect(rescore.status == 303 && rescore.header("Location")?.hasPrefix("/admin/jobs/") == true)
        #expect(try s.request("GET", rescore.header("Location") ?? "/", as: "prof").status == 200)
    }

    /// The id of an account's token with `label`, read from its account page.
    func tokenId(_ s: PageServer, _ who: String, label: String) throws -> String? {
        let page = try s.request("GET", "/account", as: who).body
        guard let row = page.components(separatedBy: "<tr>").first(where: { $0.contains(label) }),
            let range = row.range(of: "<code>")
        else { return nil }
        return String(row[range.upperBound...].prefix { $0 != "<" })
    }

    static let payloads = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"]

    @Test(arguments: payloads) func storedTextIsInert(_ payload: String) throws {
        let s = try PageServer()
        defer { s.remove() }
        try s.account("prof", role: "instructor", display: payload)
        try s.account("alice", display: payload)
        try s.start()
        // A message and a file name through the form; the same through the API; a file whose
        // header makes the judge's message quote it.
        let csrf = try #require(try s.request("GET", "/c/arena/submit", as: "alice").csrf)
        let sent = try s.submitForm(
            as: "alice", csrf: csrf, fileName: payload + ".csv", file: PageServer.predictions(2), message: payload)
        #expect(sent.status == 303, "\(sent.body)")
        let allowed = CharacterSet.alphanumerics
        let api = try s.request(
            "POST", "/api/v1/challenges/arena/submissions", body: Array("id,\(payload)\n1,2\n".utf8),
            headers: [
                "Authorization": "Bearer \(s.tokens["alice"]!)", "Content-Type": "application/octet-stream",
                "Podium-File-Name": payload.addingPercentEncoding(withAllowedCharacters: allowed)!,
                "Podium-Message": payload.addingPercentEncoding(withAllowedCharacters: allowed)!,
            ])
        #expect(api.status == 202, "\(api.body)")
        _ = try s.waitFinal(1, as: "alice")
        let failed = try s.waitFinal(2, as: "alice")
        #expect(failed.body.contains("status-rejected") || failed.body.contains("status-failed"), "\(failed.body)")
        let pages =
            ["/", "/account", "/c/arena/submissions/1", "/c/arena/submissions/2"] + Self.challengePages
        var seen = 0
        for who in ["alice", "prof"] {
            for path in pages + (who == "prof" ? ["/admin", "/admin/c/arena/check"] : []) {
                let r = try s.request("GET", path, as: who)
                #expect(r.status == 200, "\(who) \(path)")
                #expect(!r.body.contains(payload), "\(who) \(path) shows the payload unescaped")
                #expect(!r.body.contains("<img") && !r.body.contains("<script>"), "\(who) \(path)")
                if r.body.contains("alert(1)") { seen += 1 }
            }
        }
        // The text is there, escaped: the display name on every page, the message and the file name.
        #expect(seen >= pages.count)
        let detail = try s.request("GET", "/c/arena/submissions/1", as: "prof").body
        let escaped = payload.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        #expect(detail.contains(escaped))
        // A failed login echoes the typed name escaped.
        let login = try s.post("/login", ["name": payload, "password": "whatever it is"])
        #expect(login.status == 401 && !login.body.contains(payload))
    }

    @Test func theSubmitFormKeepsTheUploadLimit() throws {
        let s = try PageServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start(["--max-upload-mb", "1"])
        let csrf = try #require(try s.request("GET", "/c/arena/submit", as: "alice").csrf)
        let big = "id,prediction\n" + String(repeating: "1,1.0\n", count: 200_000)
        let r = try s.submitForm(as: "alice", csrf: csrf, fileName: "big.csv", file: big)
        #expect(r.status == 413, "\(r.status)")
        let empty = try s.submitForm(as: "alice", csrf: csrf, fileName: "empty.csv", file: "")
        #expect(empty.status == 400 && empty.body.contains("Choose a file"))
        // Nothing was stored or counted.
        #expect(try s.request("GET", "/c/arena/submissions/1", as: "alice").status == 404)
        #expect(!(try s.request("GET", "/c/arena/submit", as: "alice")).body.contains("<strong>4</strong>"))
    }
}
