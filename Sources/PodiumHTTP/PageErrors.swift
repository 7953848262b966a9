import Hummingbird
import PodiumApp
import PodiumDomain

/// The pages' errors as pages: a signed-out visit to a page that needs an account goes to
/// `/login`; a refusal, a missing page or a fault is an HTML page with its status (the JSON API,
/// `/healthz` and `/metrics` keep their own answers). A judge fault says so and no more: the
/// details go to the log.
struct PageErrors: RouterMiddleware {
    typealias Context = PodiumContext
    let server: PodiumServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        guard !path.hasPrefix("/api/"), path != "/healthz", path != "/metrics" else {
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch let signIn as SignInFirst {
            return .redirect(to: PageReturn.login(next: signIn.path), type: .found)
        } catch let error as JudgeError {
            let api = APIError(error)
            if api.status == .internalServerError {
                context.logger.error("judge fault on \(request.method) \(path): \(error.code) \(error.message)")
            }
            return page(api.status, api.message, context)
        } catch let error as APIError {
            return page(error.status, error.message, context)
        } catch let error as any HTTPResponseError {
            return page(error.status, Self.plain(error.status), context)
        } catch {
            context.logger.error("unexpected error on \(request.method) \(path): \(error)")
            return page(.internalServerError, APIError.internalMessage, context)
        }
    }

    func page(_ status: HTTPResponse.Status, _ message: String, _ context: Context) -> Response {
        let model = ErrorModel(
            frame: PageFrame(Self.title(status), context, server), heading: Self.title(status), message: message,
            status: status.code)
        return PageRenderer.shared.page("error", model, status: status)
    }

    static func title(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: return "Not found"
        case .forbidden: return "Not allowed"
        case .unauthorized: return "Sign in"
        case .tooManyRequests: return "Too many requests"
        case .contentTooLarge: return "Too large"
        default: return status.code >= 500 ? "Something went wrong" : "Cannot do that"
        }
    }

    static func plain(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: return "There is no page here."
        case .methodNotAllowed: return "This page does not take that method."
        case .contentTooLarge: return "The request is larger than the server accepts."
        default: return status.reasonPhrase
        }
    }
}

struct ErrorModel {
    var frame: PageFrame
    var heading: String
    var message: String
    var status: Int
}
