import Hummingbird
import PodiumApp
import PodiumDomain

/// `/account`: the account, its teams, its live tokens (each revocable), a new token shown once.
struct AccountPage {
    let server: PodiumServer

    func add(to router: Router<PodiumContext>) {
        router.get("/account", use: show)
        router.post("/account/tokens", use: create)
        router.post("/account/tokens/:token/revoke", use: revoke)
    }

    struct Model {
        var frame: PageFrame
        var name: String
        var display: String
        var role: String
        var email: String?
        var hasTeams: Bool
        var teams: [TeamRow]
        var tokens: [TokenRow]
        var csrf: String
        var newToken: String?
        var newLabel: String?
    }

    struct TeamRow {
        var challenge: String
        var team: String
    }

    struct TokenRow {
        var id: String
        var label: String
        var created: String
        var expires: String
        var current: Bool
    }

    func model(_ account: Account, _ context: PodiumContext) async throws -> Model {
        let tokens = try await server.useCases(for: context).run { services throws(JudgeError) in
            try Accounts.tokens(of: account.name, services: services)
        }
        let teams = try await server.useCases(for: context).challenges(participant: account.name).compactMap { c in
            c.team.map { TeamRow(challenge: c.id, team: $0) }
        }
        let current = context.token.map { String(server.digest($0).prefix(TokenRecord.idLength)) }
        let frame = PageFrame("Your account", context, server)
        return Model(
            frame: frame, name: account.name, display: account.display, role: account.role.rawValue,
            email: account.email, hasTeams: !teams.isEmpty, teams: teams,
            tokens: tokens.map { t in
                TokenRow(
                    id: t.id, label: t.label ?? "", created: PageText.when(t.createdAt),
                    expires: t.expiresAt.map(PageText.when) ?? "never", current: t.id == current)
            }, csrf: frame.csrf)
    }

    @Sendable func show(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.pageAccount(request)
        return PageRenderer.shared.page("account", try await model(account, context))
    }

    /// The new token is on this page only: never stored but as its hash, never shown again.
    @Sendable func create(_ request: Request, context: PodiumContext) async throws -> Response {
        let form = try await PageForm.read(request)
        let account = try context.formAccount(form, server)
        let label = form.text("label") ?? "api"
        let token = try await server.useCases(for: context).run { services throws(JudgeError) in
            try Accounts.createToken(of: account.name, label: label, services: services)
        }
        var page = try await model(account, context)
        page.newToken = token
        page.newLabel = label
        return PageRenderer.shared.page("account", page)
    }

    @Sendable func revoke(_ request: Request, context: PodiumContext) async throws -> Response {
        let form = try await PageForm.read(request)
        let account = try context.formAccount(form, server)
        let id = try context.parameters.require("token")
        let revoked = try await server.useCases(for: context).run { services throws(JudgeError) in
            try Accounts.revokeToken(of: account.name, id: id, services: services)
        }
        guard revoked else { throw APIError.notFound("such token") }
        return .redirect(to: "/account", type: .normal)
    }
}
