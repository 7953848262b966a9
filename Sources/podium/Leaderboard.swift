import ArgumentParser
import Foundation
import Judge

struct Leaderboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank participants: best score each, ties to the earliest submission.",
        discussion: "The private board shows after the challenge closes, or with --reveal. --format html writes one self-contained page.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Flag(name: .customLong("private"), help: "The private leaderboard.")
    var privateBoard = false

    @Flag(help: "Show the private leaderboard before the challenge closes (instructors).")
    var reveal = false

    @Option(help: "table, csv, json, markdown or html.")
    var format: String = "table"

    @Option(help: "Show the board as of this challenge version.")
    var version: Int?

    @Flag(name: .customLong("no-ties"), help: "Skip the bootstrap intervals that mark statistical ties on the private board.")
    var noTies = false

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    func validate() throws {
        guard BoardFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(BoardFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        do {
            let chosen: BoardFormat = global.json ? .json : BoardFormat(rawValue: format)!
            let (board, history) = try Views.leaderboard(
                challenge, home: Home(global.home), kind: privateBoard ? .private : .public, reveal: reveal, version: version,
                withHistory: chosen == .html, ties: !noTies)
            let text = board.render(chosen, history: history)
            if let output {
                do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                    throw JudgeError(code: "unwritable_output", message: "cannot write \(output): \((error as NSError).localizedDescription)")
                }
                FileHandle.standardError.write("wrote \(output)\n".data(using: .utf8)!)
            } else {
                print(text)
            }
        } catch let error as JudgeError {
            throw rejection(error, json: global.json)
        }
    }
}
