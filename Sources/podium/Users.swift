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
        subcommands: [
            UsersAdd.self, UsersImport.self, UsersInvite.self, UsersList.self, UsersRemove.self, UsersToken.self,
        ])
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

    func validate() throws { try checkedURL(publicURL) }

    func run() async throws {
        do {
            let services = try Root.accountServices(global, create: true)
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
            The new invites go to a new file readable only by you (mode 0600), never to the screen; an existing
            file is never overwritten.

            Example:
              podium users import roster.csv --invites invites.csv
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The roster: a CSV with a name column, and display, email and role columns if you have them.")
    var roster: String
    @Option(help: "Where to write the new invites (name, code, link, expires_at).") var invites = "invites.csv"
    @Option(help: "The server's address, to write the invite links.") var publicURL: String?

    func validate() throws { try checkedURL(publicURL) }

    func run() async throws {
        do {
            let services = try Root.accountServices(global, create: true)
            // The file first: if it cannot be written, no account is created.
            let file = try InviteFile(invites)
            let lines: [Accounts.RosterLine]
            do { lines = try Accounts.importRoster(roster, services: services) } catch {
                file.discard()
                throw error
            }
            let created = lines.compactMap { $0.invite.map { InviteBody($0, publicURL: publicURL) } }
            if created.isEmpty { file.discard() } else { try file.commit(created) }
            let present = lines.filter { $0.invite == nil }.map(\.name)
            if global.json {
                // Names only: the codes are in the file, never on the screen.
                let body = ImportBody(
                    created: created.map(\.name), present: present, invites: created.isEmpty ? nil : invites)
                print(PodiumJSON.encode(body))
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

struct UsersInvite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite", abstract: "Issue a new invite code for an account (a lost or expired one is revoked).",
        discussion: "Example:\n  podium users invite alice --public-url https://podium.example.edu")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The account name.") var name: String
    @Option(help: "The server's address, to print the invite link.") var publicURL: String?

    func validate() throws { try checkedURL(publicURL) }

    func run() async throws {
        do {
            let invite = try Accounts.reinvite(name, services: try Root.accountServices(global))
            let body = InviteBody(invite, publicURL: publicURL)
            if global.json {
                print(PodiumJSON.encode(body))
            } else {
                print(
                    "invite code for \(invite.account.name) (shown once, valid until \(invite.expiresAt)): \(invite.code)"
                )
                if let link = body.link { print("invite link: \(link)") }
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
            let accounts = try Accounts.list(services: try Root.accountServices(global))
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
            try Accounts.remove(name, services: try Root.accountServices(global))
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
            let token = try Accounts.issueToken(name, services: try Root.accountServices(global))
            print(global.json ? PodiumJSON.encode(["token": token]) : token)
            FileHandle.standardError.write(Data("shown once: Podium keeps only its SHA-256\n".utf8))
        } catch {
            throw rejection(error, json: global.json, home: Root.home(global.home))
        }
    }
}

/// The invites file. It must not exist yet (a second import never wipes codes not yet sent):
/// a new file is made beside it with O_EXCL and O_NOFOLLOW, mode 0600, before any account is
/// created, then filled, fsynced and renamed into place (a symbolic link at the name is never
/// followed).
final class InviteFile {
    let path: String
    let temporary: String
    let fd: Int32

    init(_ path: String) throws(JudgeError) {
        self.path = path
        var info = stat()
        guard lstat(path, &info) != 0 else {
            throw JudgeError(
                code: .unwritableOutput,
                message: "\(path) exists: send its codes and move it away, or name another file")
        }
        let folder = (path as NSString).deletingLastPathComponent
        temporary = (folder.isEmpty ? "." : folder) + "/.invites-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw JudgeError(
                code: .unwritableOutput, message: "cannot write beside \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes the invites and puts the file in place.
    func commit(_ invites: [InviteBody]) throws(JudgeError) {
        defer { close(fd) }
        var text = "name,code,link,expires_at\n"
        for i in invites {
            text += [i.name, i.code, i.link ?? "", i.expiresAt].map(Self.quoted).joined(separator: ",") + "\n"
        }
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw failure() }
            done += n
        }
        guard fsync(fd) == 0, rename(temporary, path) == 0 else { throw failure() }
    }

    /// Removes the unfilled file (the import failed).
    func discard() {
        close(fd)
        unlink(temporary)
    }

    func failure() -> JudgeError {
        let error = JudgeError(
            code: .unwritableOutput, message: "cannot write \(path): \(String(cString: strerror(errno)))")
        unlink(temporary)
        return error
    }

    /// A CSV field in quotes (a link is the operator's text).
    static func quoted(_ field: String) -> String { "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

/// `--public-url`: an http(s) address, or nothing.
func checkedURL(_ url: String?) throws {
    guard let url else { return }
    let lower = url.lowercased()
    guard (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && url.count > 8,
        !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0 == "\"" || $0 == "," || $0.value == 0x7F })
    else { throw ValidationError("--public-url must be an http:// or https:// address") }
}
