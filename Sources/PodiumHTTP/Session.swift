import Foundation
import Hummingbird
import PodiumApp
import PodiumDomain

/// The web session: a token like any other (a "web session" labelled row, 14 days), carried in
/// an `HttpOnly`, `SameSite=Lax` cookie (`Secure` under HTTPS). A form's CSRF token is derived
/// from the session token, so only a page the session was given can post.
public enum Session {
    public static let cookieName = "podium_session"
    public static let days = 14.0

    /// The cookie that carries `token` (an empty one, expired, to sign out).
    public static func cookie(_ token: String?, secure: Bool) -> Cookie {
        Cookie(
            name: cookieName, value: token ?? "", maxAge: token == nil ? 0 : Int(days * 86_400), path: "/",
            secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The CSRF token of a session: the hex SHA-256 of a fixed prefix and the session token.
    public static func csrf(for token: String, _ server: PodiumServer) -> String {
        server.digest("csrf\u{0}" + token)
    }

    /// Whether a submitted CSRF token belongs to the session (compared in constant time).
    public static func validCSRF(_ submitted: String?, token: String, _ server: PodiumServer) -> Bool {
        guard let submitted else { return false }
        return constantTimeEqual(Array(submitted.utf8), Array(csrf(for: token, server).utf8))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for k in 0..<a.count { difference |= a[k] ^ b[k] }
        return difference == 0
    }
}
