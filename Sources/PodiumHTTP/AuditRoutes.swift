import Foundation
import Hummingbird
import PodiumApp
import PodiumDomain

/// The audit trail for instructors: `GET /api/v1/audit` (the whole course) and
/// `GET /api/v1/challenges/{id}/audit` (one challenge), each `?limit=N` for the last N events.
/// The hash chain is checked over the whole trail on every read.
struct AuditRoutes {
    let server: PodiumServer

    func add(to api: RouterGroup<PodiumContext>) {
        api.get("audit", use: course)
        api.get("challenges/:id/audit", use: challenge)
    }

    @Sendable func course(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.instructor()
        return JSONResponse.make(try await Self.read(server, context, challenge: nil, limit: try limit(request)))
    }

    @Sendable func challenge(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.instructor()
        let id = try challengeId(context)
        return JSONResponse.make(try await Self.read(server, context, challenge: id, limit: try limit(request)))
    }

    func limit(_ request: Request) throws -> Int? {
        guard let raw = request.uri.queryParameters["limit"] else { return nil }
        guard let n = Int(raw), n >= 0 else {
            throw APIError(.badRequest, "usage", "limit is a whole number of events, 0 or more")
        }
        return n
    }

    /// The trail (one published challenge's events, or all), as the API and `/admin/audit` show it.
    static func read(_ server: PodiumServer, _ context: PodiumContext, challenge: String?, limit: Int?)
        async throws(JudgeError) -> AuditBody
    {
        try await server.useCases(for: context).run { services throws(JudgeError) in
            if let challenge { _ = try services.open(challenge) }
            return AuditBody(
                try AuditTrail.read(challenge: challenge, limit: limit, services: services), challenge: challenge)
        }
    }
}
