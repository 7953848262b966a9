import ArgumentParser
import PodiumApp
import PodiumChecks
import PodiumDomain

struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a challenge folder and publish it as a new version.",
        discussion:
            "The folder needs challenge.yaml, train.csv, test.csv and solution.csv (teams.csv optional). Publishing "
            + "changed data again needs --force and makes version N+1; then run podium rescore."
            + "\n\nExample:\n  podium publish datasets/flight-cancellations\n  podium publish datasets/flight-cancellations --force --allow group_leak --reason \"customers repeat on purpose\""
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge folder.")
    var folder: String

    @Flag(help: "Publish changed data of an already published challenge as a new version.")
    var force = false

    @Option(help: "Publish over this blocking leakage finding (with --reason; repeatable).")
    var allow: [String] = []

    @Option(help: "Why the allowed finding is acceptable (stored with the version).")
    var reason: [String] = []

    func validate() throws {
        guard allow.count == reason.count else { throw ValidationError("give one --reason for each --allow") }
        for name in allow where CheckName(rawValue: name) == nil {
            throw ValidationError(
                "--allow \(name): no such check; the checks are "
                    + "\(CheckName.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
    }

    func run() async throws {
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let pairs = zip(allow, reason).compactMap { name, why in CheckName(rawValue: name).map { ($0, why) } }
            let allowed = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
            let outcome = try await Root.useCases(global).publish(folder, force: force, allow: allowed)
            if global.json {
                print(PodiumJSON.encode(PublishBody(outcome)))
            } else {
                for f in outcome.findings { print("[\(f.severity.rawValue)] \(f.name): \(f.message)") }
            }
            if global.json {
            } else if outcome.unchanged {
                print("\(outcome.id): unchanged, already published as version \(outcome.version)")
            } else {
                print("\(outcome.id): published version \(outcome.version) (\(outcome.contentHash.prefix(12)))")
                if outcome.rescoreDue {
                    print("the data changed: run `podium rescore \(outcome.id)` to re-score every stored submission")
                }
            }
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}
