import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain
import PodiumRendering

struct Rescore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-evaluate every stored submission against the current version.",
        discussion:
            "Resumable: killed and run again, it continues where it stopped. --dry-run shows the rank changes "
            + "without writing."
            + "\n\nExample:\n  podium rescore flight-cancellations --dry-run\n  podium rescore flight-cancellations --jobs 2"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Option(help: "Submissions evaluated at once (with --store, 0: leave them all to the workers and watch).")
    var jobs: Int = 1

    @Flag(help: "Evaluate and report without writing anything.")
    var dryRun = false

    func validate() throws {
        let floor = Root.store(global.store) == nil ? 1 : 0
        guard jobs >= floor && jobs <= 64 else { throw ValidationError("--jobs must be between \(floor) and 64") }
    }

    func run() async throws {
        let bar = ProgressBar()
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let summary = try await Root.useCases(global).rescore(challenge, jobs: jobs, dryRun: dryRun) {
                done, total, seconds in
                bar.update(done, total, seconds)
            }
            bar.finish()
            print(global.json ? PodiumJSON.encode(RescoreSummaryBody(summary)) : summary.text())
        } catch {
            bar.finish()
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}

/// Progress on stderr: a bar with rate and ETA on a terminal, a plain line every 10% otherwise.
final class ProgressBar: @unchecked Sendable {
    let terminal = isatty(2) == 1
    var lastDecile = -1
    var active = false
    let lock = NSLock()

    func update(_ done: Int, _ total: Int, _ seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        if terminal {
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let line =
                "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                + "] \(done)/\(total)  \(String(format: "%.1f", rate))/s  ETA \(Int(eta.rounded()))s "
            FileHandle.standardError.write(Data(line.utf8))
            active = true
        } else {
            let decile = total > 0 ? 10 * done / total : 10
            if decile > lastDecile {
                lastDecile = decile
                FileHandle.standardError.write(
                    Data(
                        "rescore: \(done)/\(total) (\(String(format: "%.1f", rate))/s, ETA \(Int(eta.rounded()))s)\n"
                            .utf8))
            }
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if active { FileHandle.standardError.write(Data("\n".utf8)) }
        active = false
    }
}
