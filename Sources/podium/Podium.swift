import ArgumentParser
import Foundation

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Podium's home folder (default: $PODIUM_HOME or ./leaderboards); with --store, this machine's cache.")
    var home: String?

    @Option(help: "A PostgreSQL store, postgres://USER@HOST:PORT/DB (default: $PODIUM_STORE; none: the home's SQLite).")
    var store: String?

    @Flag(help: "Print machine-readable JSON on stdout.")
    var json = false
}

@main
struct Podium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podium",
        abstract: "Judge machine-learning challenges: score, rank, check.",
        discussion: """
            Example (an instructor publishes, a student submits, everyone reads the board):
              podium publish datasets/flight-cancellations
              podium submit flight-cancellations predictions.csv --as alice
              podium leaderboard flight-cancellations
            """,
        version: "podium \(Podium.version)",
        subcommands: [
            Challenges.self, Info.self, Score.self, Publish.self, Submit.self, Submissions.self, Select.self,
            Leaderboard.self, Rescore.self, Check.self, Clear.self, Unpack.self, Users.self, Serve.self,
            Download.self, Login.self, Logout.self, Worker.self, Migrate.self, Audit.self, Backup.self,
            BundleCommand.self,
            Restore.self,
        ])

    /// The release: the number of the last issue it resolves.
    static let version = "0.15.0"

    /// Exit statuses: 0 success, 1 rejected, 2 usage error, 3 internal error, 4 the server could
    /// not be reached or refused the credentials.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as ExitWith {
            Foundation.exit(error.status)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // Anything but a parsing or validation error escaped the commands' own mapping: a bug.
            guard code == .validationFailure else {
                FileHandle.standardError.write(
                    Data("internal error (a bug in Podium; your data is safe): \(error)\n".utf8))
                Foundation.exit(3)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
