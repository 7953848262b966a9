import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain
import PodiumRendering

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Accounts of the course: add, import a roster, list, remove, issue a token.",
        discussion: """
            Run on the server's machine. Invite codes and tokens are shown once and stored only as SHA-256 hashes.

            Example:
              podium users import roster.csv --public-url https://podium.example.edu
              podium users add carol --role instructor --display "Carol Smith"
            """,
        subcommands: [UsersAdd.self, UsersImport.self, UsersList.self, UsersRemove.self, UsersToken.self])
}

extension Account.Role: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

struct UsersAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Create an account and print its one-time invite code (valid 7 days).",
        discussion: "Example:\n  podium users add alice --display \"Alice Martin\" --email alice@example.edu")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The account name (a-z, 0-9, '.', '_', '-'; trimmed and lower-cased).") var name: String
    @Option(help: "student or instructor.") var role: Account.Role = .student
    @Option(help: "The name shown on pages (free text, at most 80 characters).") var display: String?
    @Option(help: "An e-mail address.") var email: String?
    @Option(help: "The server's address, to print the invite link.") var publicURL: String?

    func run() async throws {
        do {
            let services = try Root.accountServices(home: global.home)
            let invite = try Accounts.add(name, role: role, display: display, email: email, services: services)
            let body = InviteBody(invite, publicURL: publicURL)
            if global.json {
                print(PodiumJSON.encode(body))
            } else {
                print("created \(invite.account.name) (\(invite.account.role.rawValue))")
                print("invite code (shown once, valid until \(invite.expiresAt)): \(invite.code)")
                if let link = body.link { print("invite link: \(link)") }
            }
        } catch {
            throw rejection(error, json: global.json, home: Root.home(global.home))
        }
    }
}

struct UsersImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create the accounts of a roster CSV (name[,display,email,role]); names already present are kept.",
        discussion: """
            The new invites go to a file readable only by you (mode 0600), never to the screen.

            Example:
              podium users import roster.csv --invites invites.csv
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The roster: a CSV with a name column, and display, email and role columns if you have them.")
    var roster: String
    @Option(help: "Where to write the new invites (name, code, link, expires_at).") var invites = "invites.csv"
    @Option(help: "The server's address, to write the invite links.") var publicURL: String?

    func run() async throws {
        do {
            let services = try Root.accountServices(home: global.home)
            let lines = try Accounts.importRoster(roster, services: services)
            let created = lines.compactMap { $0.invite.map { InviteBody($0, publicURL: publicURL) } }
            if !created.isEmpty { try InviteFile.write(created, to: invites) }
            let present = lines.filter { $0.invite == nil }.map(\.name)
            if global.json {
                print(
                    PodiumJSON.encode(
                        ImportBody(created: created, present: present, invites: created.isEmpty ? nil : invites)))
            } else {
                print(
                    "created \(created.count) account\(created.count == 1 ? "" : "s"), \(present.count) already present"
                )
                if !created.isEmpty { print("the new invite codes are in \(invites) (mode 0600): send each its own") }
            }
        } catch {
            throw rejection(error, json: global.json, home: Root.home(global.home))
        }
    }
}

struct UsersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the accounts.", discussion: "Example:\n  podium users list --json")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        do {
            let accounts = try Accounts.list(services: try Root.accountServices(home: global.home))
            if global.json {
                print(PodiumJSON.encode(accounts))
            } else {
                print(accounts.isEmpty ? "no accounts" : AccountText.table(accounts))
            }
        } catch {
            throw rejection(error, json: global.json, home: Root.home(global.home))
        }
    }
}

struct UsersRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Disable an account: its tokens and invites are revoked, its submissions kept.",
        discussion: "Example:\n  podium users remove alice")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The account name.") var name: String

    func run() async throws {
        do {
            try Accounts.remove(name, services: try Root.accountServices(home: global.home))
            let canonical = Names.canonical(name) ?? name
            print(
                global.json
                    ? PodiumJSON.encode(["disabled": canonical])
                    : "\(canonical) disabled: tokens and invites revoked, submissions kept")
        } catch {
            throw rejection(error, json: global.json, home: Root.home(global.home))
        }
    }
}

struct UsersToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue an API token for an account (printed once; only its hash is kept).",
        discussion: "Example:\n  podium users token alice > alice.token")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The account name.") var name: String

    func run() async throws {
        do {
            let token = try Accounts.issueToken(name, services: try Root.accountServices(home: global.home))
            print(global.json ? PodiumJSON.encode(["token": token]) : token)
            FileHandle.standardError.write(Data("shown once: Podium keeps only its SHA-256\n".utf8))
        } catch {
            throw rejection(error, json: global.json, home: Root.home(global.home))
        }
    }
}

/// The invites file: created with mode 0600 before anything is written to it.
enum InviteFile {
    static func write(_ invites: [InviteBody], to path: String) throws(JudgeError) {
        var text = "name,code,link,expires_at\n"
        for i in invites { text += "\(i.name),\(i.code),\(i.link ?? ""),\(i.expiresAt)\n" }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw JudgeError(
                code: .unwritableOutput, message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // An existing file keeps its mode through O_TRUNC: make it private before writing secrets.
        fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                throw JudgeError(
                    code: .unwritableOutput, message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
