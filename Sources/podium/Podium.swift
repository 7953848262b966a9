import ArgumentParser
import Foundation
import Judge

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Podium's home folder (default: $PODIUM_HOME or ./leaderboards).")
    var home: String?

    @Flag(help: "Print machine-readable JSON on stdout.")
    var json = false
}

@main
struct Podium: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podium",
        abstract: "Judge machine-learning challenges: score, rank, check.",
        subcommands: [Score.self, Publish.self, Submit.self, Submissions.self, Select.self, Leaderboard.self, Rescore.self, Check.self, Clear.self, Unpack.self])

    /// Exit statuses: 0 success, 1 rejected, 2 usage error, 3 internal error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
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
                FileHandle.standardError.write("internal error (a bug in Podium; your data is safe): \(error)\n".data(using: .utf8)!)
                Foundation.exit(3)
            }
            FileHandle.standardError.write((fullMessage(for: error) + "\n").data(using: .utf8)!)
            Foundation.exit(2)
        }
    }
}

/// Ends the process with a status after the command has printed what it had to say.
struct ExitWith: Error {
    let status: Int32
}

/// Prints a judge error (JSON on stdout or text on stderr) and returns the exit status: 3 for
/// a bug, 2 for a usage error, 1 for a refusal (of the input, or by the environment).
func rejection(_ error: JudgeError, json: Bool) -> ExitWith {
    let environment = ["home_unavailable", "unwritable_output"].contains(error.code)
    if json {
        print(error.json().serialized())
    } else {
        let prefix =
            error.isInternal ? "internal error (a bug in Podium; your data is safe): "
            : environment ? "refused by the environment: " : error.code == "usage" ? "usage error: " : "rejected: "
        FileHandle.standardError.write((prefix + error.description + "\n").data(using: .utf8)!)
    }
    return ExitWith(status: error.isInternal ? 3 : error.code == "usage" ? 2 : 1)
}
