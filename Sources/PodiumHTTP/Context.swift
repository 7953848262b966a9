import Hummingbird
import PodiumApp

/// What a request carries through the middleware to its handler: who sent it, and how.
public struct PodiumContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in account (a bearer token or the session cookie), if any.
    public var account: Account?
    /// The token that authenticated the request (to revoke it at logout; never logged).
    public var token: String?
    /// Whether the identity came from the session cookie (forms then need the CSRF token).
    public var viaCookie = false

    /// The client's address (the rate limit's key without a token).
    public var peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// JSON bodies are small; submissions and challenge archives are streamed, not collected.
    public var maxUploadSize: Int { 256 * 1024 }

    /// Who acts, for the audit trail: the signed-in account, through the pages or the API.
    public var actor: Actor? { account.map { Actor(name: $0.name, via: viaCookie ? .web : .api) } }

    /// The account, or `401`.
    func signedIn() throws -> Account {
        guard let account else { throw APIError.unauthorized }
        return account
    }

    /// An instructor's account, or `401`/`403`.
    func instructor() throws -> Account {
        let account = try signedIn()
        guard account.role == .instructor else {
            throw APIError(.forbidden, "forbidden", "this needs an instructor's account")
        }
        return account
    }
}
