import Hummingbird
import PodiumApp
import PodiumDomain

/// `/login`, `/logout` and `/invite/{code}`: a web session is a token labelled "web session",
/// valid 14 days, in the `podium_session` cookie.
struct SignInPages {
    let server: PodiumServer

    func add(to router: Router<PodiumContext>) {
        router.get("/login", use: loginForm)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
        router.get("/invite/:code", use: inviteForm)
        router.post("/invite/:code", use: redeem)
    }

    struct LoginModel {
        var frame: PageFrame
        var name = ""
        var next = "/"
        var problem: String?
    }

    @Sendable func loginForm(_ request: Request, context: PodiumContext) async throws -> Response {
        let next = PageReturn.safe(request.uri.queryParameters["next"].map(String.init))
        if context.account != nil { return .redirect(to: next, type: .normal) }
        return PageRenderer.shared.page("login", LoginModel(frame: PageFrame("Sign in", context, server), next: next))
    }

    /// A wrong name and a wrong password get the same answer (`401`); too many failures `429`.
    @Sendable func login(_ request: Request, context: PodiumContext) async throws -> Response {
        let form = try await PageForm.read(request)
        let name = String((form["name"] ?? "").prefix(100))
        let password = form["password"] ?? ""
        let next = PageReturn.safe(form["next"])
        let token: String
        do throws(JudgeError) {
            token = try await server.useCases(for: context).run { services throws(JudgeError) in
                try Accounts.login(
                    name, password: password, services: services, label: "web session", validDays: Session.days
                ).token
            }
        } catch {
            guard error.code == .badCredentials || error.code == .tooManyAttempts else { throw error }
            var model = LoginModel(frame: PageFrame("Sign in", context, server), name: name, next: next)
            model.problem = error.message
            return PageRenderer.shared.page("login", model, status: APIError.status(of: error))
        }
        return signedIn(token, to: next)
    }

    func signedIn(_ token: String, to next: String) -> Response {
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(Session.cookie(token, secure: server.options.secure))
        return response
    }

    @Sendable func logout(_ request: Request, context: PodiumContext) async throws -> Response {
        let form = try await PageForm.read(request)
        _ = try context.formAccount(form, server)
        if let token = context.token {
            _ = try await server.useCases(for: context).run { services throws(JudgeError) in
                try Accounts.revoke(token: token, services: services)
            }
        }
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(Session.cookie(nil, secure: server.options.secure))
        return response
    }

    struct InviteModel {
        var frame: PageFrame
        var code: String
        var minimum = Accounts.minimumPasswordLength
        var problem: String?
    }

    /// An invite code from the path: its own alphabet only (it is echoed in the form's action).
    func inviteCode(_ context: PodiumContext) throws -> String {
        let code = try context.parameters.require("code")
        guard code.count <= 100,
            code.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            })
        else { throw APIError.notFound("such invite") }
        return code
    }

    @Sendable func inviteForm(_ request: Request, context: PodiumContext) async throws -> Response {
        let model = InviteModel(frame: PageFrame("Set your password", context, server), code: try inviteCode(context))
        return PageRenderer.shared.page("invite", model)
    }

    /// Sets the password once (the invite is used up), then signs in with it.
    @Sendable func redeem(_ request: Request, context: PodiumContext) async throws -> Response {
        let code = try inviteCode(context)
        let form = try await PageForm.read(request)
        let password = form["password"] ?? ""
        var model = InviteModel(frame: PageFrame("Set your password", context, server), code: code)
        guard password == form["again"] ?? "" else {
            model.problem = "The two passwords differ."
            return PageRenderer.shared.page("invite", model, status: .badRequest)
        }
        let token: String
        do throws(JudgeError) {
            // Nobody is signed in yet: the trail names the account the invite belongs to.
            let app = server.useCases.acting(as: Actor(name: "invitee", via: .web))
            token = try await app.run { services throws(JudgeError) in
                let account = try Accounts.redeem(invite: code, password: password, services: services)
                return try Accounts.login(
                    account.name, password: password, services: services, label: "web session", validDays: Session.days
                ).token
            }
        } catch {
            guard error.code == .weakPassword || error.code == .invalidInvite else { throw error }
            model.problem = error.message
            return PageRenderer.shared.page(
                "invite", model, status: error.code == .invalidInvite ? .notFound : .badRequest)
        }
        return signedIn(token, to: "/")
    }
}
