import Hummingbird
import PodiumApp
import PodiumDomain

/// The HTTP routes over the use cases. So far a check that Hummingbird builds beside the
/// Podium modules: a health probe and the current version of a published challenge.
public func buildRouter(services: Services) -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/healthz") { _, _ in "ok" }
    router.get("/challenges/:id/version") { _, context in
        let id = try context.parameters.require("id")
        do throws(JudgeError) {
            return String(try services.open(id).version.number)
        } catch {
            throw HTTPError(status(of: error), message: error.message)
        }
    }
    return router
}

/// The HTTP status of a judge error.
func status(of error: JudgeError) -> HTTPResponse.Status {
    if error.isInternal { return .internalServerError }
    return error.code == .unknownChallenge ? .notFound : .badRequest
}
