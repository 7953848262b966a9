import ArgumentParser
import Foundation
import PodiumClient
import PodiumDomain
import PodiumRendering

/// Ends the process with a status after the command has printed what it had to say.
struct ExitWith: Error {
    let status: Int32
}

/// The command line's one mapping of error codes to exit statuses and words: 4 when the server
/// could not be reached or refused the credentials, 3 for a bug, 2 for a usage error, 1 for a
/// refusal (of the input, or by the environment). Prints the error
/// (JSON on stdout, or text on stderr with a hint naming the flag that helps) and returns the
/// status to exit with.
func rejection(_ error: JudgeError, json: Bool, home: String? = nil) -> ExitWith {
    if json {
        print(PodiumJSON.encode(ErrorBody(error)))
    } else {
        let prefix =
            error.code.isRemoteAccess
            ? ""
            : error.isInternal
                ? "internal error (a bug in Podium; your data is safe): "
                : error.code.isEnvironment
                    ? "refused by the environment: " : error.code == .usage ? "usage error: " : "rejected: "
        FileHandle.standardError.write(Data((prefix + error.description + hint(error, home: home) + "\n").utf8))
    }
    if error.code.isRemoteAccess { return ExitWith(status: 4) }
    return ExitWith(status: error.isInternal ? 3 : error.code == .usage ? 2 : 1)
}

/// Maps any error a command lets escape: a judge error by its code, anything else a bug.
func rejection(_ error: any Error, json: Bool, home: String? = nil) -> ExitWith {
    if let error = error as? ExitWith { return error }
    if let error = error as? JudgeError { return rejection(error, json: json, home: home) }
    var bug = JudgeError(code: .internalFailure, message: "\(error)")
    bug.isInternal = true
    return rejection(bug, json: json, home: home)
}

/// What a command-line user can do about an error, in the flags of this command line.
func hint(_ error: JudgeError, home: String?) -> String {
    let place = home.map { " in \($0)" } ?? ""
    if let home, home.hasPrefix("http://") || home.hasPrefix("https://") {
        // A server's refusal: the local hints name flags of a home.
        return error.code == .unknownChallenge ? " on \(home) (podium challenges lists them)" : ""
    }
    switch error.code {
    case .homeUnavailable where error.message.hasPrefix("the home"):
        return " (publish a challenge first, or pass --home or set PODIUM_HOME)"
    case .unknownChallenge: return "\(place) (run podium publish first, or pass --home)"
    case .privateHidden: return "; pass --reveal to see it anyway"
    case .leakageBlocked:
        let name = error.checks?.first?.rawValue ?? "CHECK"
        return " — fix the data, or publish with --allow \(name) --reason \"…\" if this is intended"
    case .alreadyPublished: return "; publish again with --force to make the next version, then run podium rescore"
    case .busy: return " (another podium publish holds the lock)"
    default: return ""
    }
}

extension BoardFormat: ExpressibleByArgument {
    /// `--format HTML` is `--format html`.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `--as` given but blank (after trimming): a usage error, exit 2.
func requireName(_ participant: String?) throws {
    if let participant, Names.trimmed(participant).isEmpty { throw ValidationError("--as needs a name") }
}
