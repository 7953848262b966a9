import Foundation
import HTTPTypes
import Hummingbird
import PodiumApp
import PodiumDomain
import PodiumRendering

/// Signing in and reading: tokens, who am I, the challenges, public files, boards.
struct ReadRoutes {
    let server: PodiumServer
    func app(_ context: PodiumContext) -> UseCases { server.useCases(for: context) }

    func add(to api: RouterGroup<PodiumContext>) {
        api.post("tokens", use: login)
        api.delete("tokens/current", use: logout)
        api.get("me", use: me)
        api.get("challenges", use: challenges)
        api.get("challenges/:id", use: info)
        api.get("challenges/:id/files/:name", use: file)
        api.get("challenges/:id/leaderboard", use: leaderboard)
    }

    struct Credentials: Decodable {
        var name: String
        var password: String
    }

    struct TokenBody: Encodable {
        var token: String
        var name: String
        var role: Account.Role
    }

    @Sendable func login(_ request: Request, context: PodiumContext) async throws -> Response {
        let credentials = try await request.decode(as: Credentials.self, context: context)
        let (account, token) = try await app(context).run { services throws(JudgeError) in
            try Accounts.login(
                credentials.name, password: credentials.password, services: services, label: "podium login")
        }
        return JSONResponse.make(TokenBody(token: token, name: account.name, role: account.role), status: .created)
    }

    @Sendable func logout(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.signedIn()
        guard let token = context.token else { throw APIError.unauthorized }
        _ = try await app(context).run { services throws(JudgeError) in
            try Accounts.revoke(token: token, services: services)
        }
        return Response(status: .noContent)
    }

    struct MeBody: Encodable {
        var name: String
        var role: Account.Role
        var display: String
        var teams: [String: String]
    }

    @Sendable func me(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        let list = try await app(context).challenges(participant: account.name)
        let teams = Dictionary(list.compactMap { c in c.team.map { (c.id, $0) } }, uniquingKeysWith: { a, _ in a })
        return JSONResponse.make(MeBody(name: account.name, role: account.role, display: account.display, teams: teams))
    }

    @Sendable func challenges(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        return JSONResponse.make(try await app(context).challenges(participant: account.name))
    }

    struct InfoBody: Encodable {
        var info: ChallengeInfo
        var readme: String?

        func encode(to encoder: any Encoder) throws {
            try info.encode(to: encoder)
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.encodeOrNull(readme, forKey: JSONKey("readme"))
        }
    }

    @Sendable func info(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        let id = try challengeId(context)
        let info = try await app(context).info(id, participant: account.name)
        let readme = try await app(context).run { services throws(JudgeError) in
            let opened = try services.open(id)
            return try? String(contentsOfFile: opened.folder(opened.version.number) + "/README.md", encoding: .utf8)
        }
        return JSONResponse.make(InfoBody(info: info, readme: readme))
    }

    /// A public file of the current version: only the names the catalog lists, never the solution.
    @Sendable func file(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        let id = try challengeId(context)
        let name = try context.parameters.require("name")
        let info = try await app(context).info(id, participant: nil)
        // The data is handed out when the challenge opens (instructors may always look).
        if info.summary.state == .upcoming && account.role != .instructor {
            throw APIError(.forbidden, "not_open", "the data is available when the challenge opens")
        }
        guard let listed = info.files.first(where: { $0.name == name }) else { throw APIError.notFound("such file") }
        let path = try await app(context).run { services throws(JudgeError) in
            let opened = try services.open(id)
            return opened.folder(opened.version.number) + "/" + listed.name
        }
        let body = try await FileIO().loadFile(path: path, context: context)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(listed.name)\""
        headers[HTTPField.Name("Podium-SHA256")!] = listed.sha256
        return Response(status: .ok, headers: headers, body: body)
    }

    /// A board: the private one for instructors, or for everyone after `closes`.
    @Sendable func leaderboard(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        let id = try challengeId(context)
        let query = request.uri.queryParameters
        let kind: Board.Kind
        switch query["board"].map(String.init) ?? "public" {
        case "public": kind = .public
        case "private": kind = .private
        default: throw APIError(.badRequest, "usage", "board is public or private")
        }
        let format: BoardFormat
        switch query["format"].map(String.init) ?? "json" {
        case "json": format = .json
        case "csv": format = .csv
        default: throw APIError(.badRequest, "usage", "format is json or csv")
        }
        let reveal = account.role == .instructor
        var (board, _) = try await app(context).leaderboard(
            id, kind: kind, reveal: reveal, version: nil, withHistory: false, ties: true)
        if kind == .private, try await server.computeIntervals(id, board: board) > 0 {
            (board, _) = try await app(context).leaderboard(
                id, kind: kind, reveal: reveal, version: nil, withHistory: false, ties: true)
        }
        var headers = HTTPFields()
        headers[.contentType] = format == .csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: board.render(format) + "\n")))
    }
}

/// A challenge id from the path: a name by the rule (never a path: the use cases also accept
/// a folder, which a request must never name).
func challengeId(_ context: PodiumContext) throws -> String {
    let raw = try context.parameters.require("id")
    guard let id = Names.canonical(raw), id == raw else { throw APIError.notFound("challenge '\(raw)'") }
    return id
}
