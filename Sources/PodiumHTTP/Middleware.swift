import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PodiumApp
import PodiumDomain

/// The outermost layer: every response — a page, JSON, an error — gets the security headers of
/// DESIGN §7, errors become `{"error": …}` bodies (a judge fault says no more than that), and
/// each request is counted and timed for `/metrics`.
struct Envelope: RouterMiddleware {
    typealias Context = PodiumContext
    let server: PodiumServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = Date()
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as JudgeError {
            if APIError.status(of: error) == .internalServerError {
                context.logger.error(
                    "judge fault on \(request.method) \(request.uri.path): \(error.code) \(error.message)")
            }
            response = try APIError(error).response(from: request, context: context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            // Hummingbird's own refusals (a body that is not the JSON asked for, too large, no
            // such route) in Podium's shape, with a code.
            response = try Self.plain(error.status).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error on \(request.method) \(request.uri.path): \(error)")
            response = try APIError(.internalServerError, "internal", APIError.internalMessage)
                .response(from: request, context: context)
        }
        Self.secure(&response.headers)
        let path = request.uri.path
        let group =
            path.hasPrefix("/api/") ? "api" : path == "/metrics" ? "metrics" : path == "/healthz" ? "health" : "pages"
        server.metrics.request(group: group, status: response.status.code, seconds: Date().timeIntervalSince(start))
        return response
    }

    /// Hummingbird's own errors in Podium's shape.
    static func plain(_ status: HTTPResponse.Status) -> APIError {
        switch status {
        case .contentTooLarge: return APIError(status, "too_large", "the request body is too large")
        case .notFound: return APIError(status, "not_found", "there is nothing here")
        case .methodNotAllowed: return APIError(status, "method_not_allowed", "this method is not allowed here")
        case .badRequest:
            return APIError(status, "bad_request", "the request is malformed (a body that is not the JSON asked for?)")
        case .unauthorized: return APIError.unauthorized
        case .requestTimeout: return APIError(status, "timeout", "the request took too long")
        default:
            return status.code >= 500
                ? APIError(.internalServerError, "internal", APIError.internalMessage)
                : APIError(status, "bad_request", status.reasonPhrase)
        }
    }

    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
    }
}

/// Who is asking: a bearer token (the API, the command line) or the session cookie (the web
/// pages). A token that is unknown, revoked or expired is `401`, never a quiet anonymous
/// request; a stale cookie is simply no session. Then the per-token request rate.
struct Authentication: RouterMiddleware {
    typealias Context = PodiumContext
    let server: PodiumServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthorized }
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            guard let account = try await lookup(token) else {
                throw APIError(
                    .unauthorized, "unauthorized", "this token is unknown, revoked or expired: sign in again")
            }
            context.account = account
            context.token = token
        } else if let cookie = request.cookies[Session.cookieName]?.value, !cookie.isEmpty,
            let account = try await lookup(cookie)
        {
            context.account = account
            context.token = cookie
            context.viaCookie = true
        }
        let key = context.token.map { "token:" + String(server.digest($0).prefix(16)) } ?? "address:\(context.peer)"
        if let wait = server.limiter.check(key) {
            var error = APIError(.tooManyRequests, "rate_limited", "too many requests; try again in \(wait) s")
            error.headers[.retryAfter] = String(wait)
            throw error
        }
        return try await next(request, context)
    }

    func lookup(_ token: String) async throws(JudgeError) -> Account? {
        // Only well-formed tokens reach the store.
        guard token.hasPrefix("pod_"), token.count == 47 else { return nil }
        return try await server.useCases.run { services throws(JudgeError) in
            try Accounts.account(token: token, services: services)
        }
    }
}
