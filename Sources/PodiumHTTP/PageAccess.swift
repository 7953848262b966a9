import Foundation
import Hummingbird
import PodiumApp

/// A page that needs an account was asked for without one: the answer is a redirect to
/// `/login` (with the page to come back to), never an error page.
struct SignInFirst: Error {
    var path: String
}

extension PodiumContext {
    /// The signed-in account of a page, or a redirect to the login page.
    func pageAccount(_ request: Request) throws -> Account {
        guard let account else { throw SignInFirst(path: request.uri.path) }
        return account
    }

    /// An instructor's account of a page: signed out → login; a student → the 403 page.
    func pageInstructor(_ request: Request) throws -> Account {
        let account = try pageAccount(request)
        guard account.role == .instructor else {
            throw APIError(.forbidden, "forbidden", "This page is for instructors.")
        }
        return account
    }

    /// A form post's account: signed in, and the form's CSRF token is the session's (`403`
    /// otherwise: a form from another site, another session or an old page).
    func formAccount(_ form: PageForm, _ server: PodiumServer) throws -> Account {
        guard let account, let token, Session.validCSRF(form["csrf"], token: token, server) else {
            throw APIError(
                .forbidden, "forbidden",
                "This form has expired or did not come from this site: reload the page and try again.")
        }
        return account
    }
}

/// Where to go back after signing in: a path of this site only (never `//host` or a scheme).
enum PageReturn {
    static func safe(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"), raw.count < 300,
            !raw.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "\\" })
        else { return "/" }
        return raw
    }

    /// `/login?next=PATH`.
    static func login(next path: String) -> String {
        guard path != "/",
            let escaped = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/", "-", "_", "."]))
        else { return "/login" }
        return "/login?next=" + escaped
    }
}
