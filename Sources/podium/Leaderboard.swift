import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain
import PodiumRendering

struct Leaderboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank participants: best score each, ties to the earliest submission.",
        discussion:
            "The private board shows after the challenge closes, or with --reveal. --format html writes one "
            + "self-contained page."
            + "\n\nExample:\n  podium leaderboard flight-cancellations --format markdown\n  podium leaderboard flight-cancellations --private --reveal --format html -o board.html"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Flag(name: .customLong("private"), help: "The private leaderboard.")
    var privateBoard = false

    @Flag(help: "Show the private leaderboard before the challenge closes (instructors).")
    var reveal = false

    @Option(help: "table, csv, json, markdown or html.")
    var format: BoardFormat = .table

    @Option(help: "Show the board as of this challenge version.")
    var version: Int?

    @Flag(
        name: .customLong("no-ties"),
        help: "Skip the bootstrap intervals that mark statistical ties on the private board.")
    var noTies = false

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let chosen: BoardFormat = global.json ? .json : format
            let app = try Root.useCases(global)
            let kind: Board.Kind = privateBoard ? .private : .public
            func read() async throws(JudgeError) -> (Board, BoardHistory?) {
                try await app.leaderboard(
                    challenge, kind: kind, reveal: reveal, version: version, withHistory: chosen == .html, ties: !noTies
                )
            }
            var (board, history) = try await read()
            // Ties need the intervals of the private board's entries: computed once (a job),
            // then the board is read again.
            if kind == .private && !noTies {
                let computed = try await app.computeIntervals(challenge, board: board)
                if computed > 0 { (board, history) = try await read() }
            }
            let text = board.render(chosen, history: history)
            if let output {
                do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                    throw JudgeError(
                        code: .unwritableOutput,
                        message: "cannot write \(output): \((error as NSError).localizedDescription)")
                }
                FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
            } else {
                print(text)
            }
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}
