import ArgumentParser
import Foundation
import PodiumClient
import PodiumDomain

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign in to a Podium server; the verbs then talk to it.",
        discussion: """
            Asks for the password (without echo; read from standard input when it is not a terminal), or \
            checks the API token given with --token, and writes the server, the name and a token to \
            $XDG_CONFIG_HOME/podium/credentials.json (~/.config/podium/credentials.json; mode 0600). \
            PODIUM_SERVER and PODIUM_TOKEN override the file; --home works locally as before.

            Example:
              podium login --server https://podium.example.edu --name alice
            """)

    @Option(help: "The server's address (http:// or https://).")
    var server: String

    @Option(help: "Your account name (asked for on a terminal when not given).")
    var name: String?

    @Option(help: "An API token from the account page or podium users token, instead of a password.")
    var token: String?

    @Flag(help: "Print machine-readable JSON on stdout.")
    var json = false

    func run() async throws {
        do {
            let server = try ServerURL.normalized(server)
            let credentials: Credentials
            if let token {
                let me: RemoteAccount = try await APIClient(server: server, token: token).get("/api/v1/me")
                credentials = Credentials(server: server, name: me.name, token: token)
            } else {
                let account = try name ?? Terminal.ask("name: ")
                let password = try Terminal.password("password for \(account) at \(server): ")
                let issued: RemoteToken = try await APIClient(server: server, token: nil).send(
                    .POST, "/api/v1/tokens", json: TokenRequest(name: account, password: password)
                ).decoded()
                credentials = Credentials(server: server, name: issued.name, token: issued.token)
            }
            let file = CredentialsFile(environment: Root.environment)
            try file.save(credentials)
            if json {
                print(PodiumJSON.encode(LoginBody(server: server, name: credentials.name, credentials: file.path)))
            } else {
                print("signed in to \(server) as \(credentials.name) (credentials in \(file.path))")
            }
        } catch {
            throw rejection(error, json: json, home: server)
        }
    }

    struct TokenRequest: Encodable, Sendable {
        var name: String
        var password: String
    }
}

/// `podium login --json`: who is signed in where (never the token).
struct LoginBody: Encodable {
    var server: String
    var name: String
    var credentials: String
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revoke this machine's token on the server and remove the credentials file.",
        discussion: """
            The file is removed even when the server cannot be reached (the token then stays valid \
            until it is revoked on the account page).

            Example:
              podium logout
            """)

    func run() async throws {
        let file = CredentialsFile(environment: Root.environment)
        do {
            guard let stored = try file.load() else {
                print("not signed in (no \(file.path))")
                return
            }
            var revoked = true
            var problem = ""
            do {
                _ = try await APIClient(server: stored.server, token: stored.token).send(
                    .DELETE, "/api/v1/tokens/current")
            } catch  where error.code == .unauthorized {
                // Already revoked or expired: nothing left to revoke.
            } catch {
                revoked = false
                problem = error.description
            }
            try file.remove()
            if revoked {
                print("signed out of \(stored.server): the token is revoked and \(file.path) removed")
            } else {
                FileHandle.standardError.write(
                    Data(
                        ("could not revoke the token on \(stored.server) (\(problem)); \(file.path) is removed "
                            + "anyway: revoke the token on the account page\n").utf8))
                throw ExitWith(status: 4)
            }
        } catch {
            throw rejection(error, json: false)
        }
    }
}
