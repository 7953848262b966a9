import Foundation
import PodiumDomain

extension ErrorCode {
    /// The server could not be reached: refused, timed out, or not an address (exit 4).
    public static let unreachable = ErrorCode(rawValue: "unreachable")
    /// No token, or one the server does not know: revoked, expired, mistyped (401, exit 4).
    public static let unauthorized = ErrorCode(rawValue: "unauthorized")
    /// The server is stopping (503, exit 4: try again shortly).
    public static let unavailable = ErrorCode(rawValue: "unavailable")
    /// A downloaded file whose SHA-256 is not the one the server announced.
    public static let hashMismatch = ErrorCode(rawValue: "hash_mismatch")

    /// The server could not be reached or refused the credentials: the command line exits 4
    /// and says to run `podium login`.
    public var isRemoteAccess: Bool {
        self == .unreachable || self == .unauthorized || self == .badCredentials || self == .unavailable
    }
}

/// The server's error body: `{"error": {"code", "message", …}}`.
struct ServerErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
        var row: Int?
        var column: String?
        var file: String?
        var count: Int?
        var ids: [String]?
    }
    var error: Detail
}

enum RemoteError {
    /// The `JudgeError` of an answer with status `status` (not 2xx): the server's code and message
    /// when its body says them, the status otherwise; a 401 or 503 names the server and `podium login`.
    static func answer(status: Int, body: Data, server: String, retryAfter: String?) -> JudgeError {
        var error: JudgeError
        if let decoded = try? JSONDecoder().decode(ServerErrorBody.self, from: body) {
            let d = decoded.error
            error = JudgeError(
                code: ErrorCode(rawValue: d.code), message: d.message, row: d.row, column: d.column, file: d.file)
            error.count = d.count
            error.ids = d.ids
        } else {
            let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            error = JudgeError(
                code: ErrorCode(rawValue: "http_\(status)"),
                message: "the server \(server) answered HTTP \(status)" + (text.isEmpty ? "" : ": \(text)"))
        }
        switch status {
        case 401 where error.code == .badCredentials:
            error.message += " (\(server))"
        case 401:
            if !error.code.isRemoteAccess { error.code = .unauthorized }
            error.message += " — the server \(server) refused the credentials; run podium login --server \(server)"
        case 503:
            error.code = .unavailable
            error.message += " — the server \(server) is not taking requests now; try again shortly"
        case 429 where retryAfter != nil:
            error.message += " (retry after \(retryAfter ?? "") s)"
        case 500...:
            error.isInternal = true
        default: break
        }
        return error
    }

    /// The server could not be reached at all.
    static func unreachable(_ server: String, _ underlying: any Error) -> JudgeError {
        JudgeError(
            code: .unreachable,
            message: "cannot reach the server \(server) (\(underlying)); check that it runs and the address is "
                + "right, or run podium login --server URL")
    }
}
