import ArgumentParser
import PodiumApp
import PodiumDomain
import PodiumRendering

struct Submissions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List submissions with their status and public score.",
        discussion:
            "Example:\n  podium submissions flight-cancellations --as alice\n  podium submissions flight-cancellations --id 12"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "Only this participant's (or team's) submissions, as that student sees them (with display: ladder, the "
                + "Ladder's scores until the close). Without it: every submission with exact scores (the "
                + "instructor's view).")
    )
    var participant: String?

    @Option(help: "Show this one submission in full (every field, the whole message).")
    var id: Int64?

    func validate() throws {
        try requireName(participant)
    }

    func run() async throws {
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let listing = try await Root.useCases(global).submissions(challenge, participant: participant)
            if let id {
                print(global.json ? PodiumJSON.encode(try listing.row(id)) : try listing.detail(id))
            } else {
                print(global.json ? PodiumJSON.encode(listing.body) : listing.text())
            }
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}

struct Select: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Choose a team's final submissions for the private leaderboard.",
        discussion: "Up to submissions.final; a team that selects none is judged on its best public submissions."
            + "\n\nExample:\n  podium select flight-cancellations 12 17")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Argument(help: "Submission ids.")
    var ids: [Int64]

    func run() async throws {
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let chosen = try await Root.useCases(global).select(challenge, ids: ids)
            if global.json {
                print(PodiumJSON.encode(SelectionBody(team: chosen.team, selected: chosen.ids)))
            } else {
                print(
                    "\(chosen.team): selected \(chosen.ids.map(String.init).joined(separator: ", ")) for the private "
                        + "leaderboard"
                )
            }
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}

struct Clear: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Return a held submission (a perfect score, a bundle check) to the public leaderboard.",
        discussion:
            "Example:\n  podium clear flight-cancellations 12 --reason \"checked: a legitimately perfect model\"")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Argument(help: "The submission id.")
    var id: Int64

    @Option(help: "Why it is fine (stored).")
    var reason: String

    func validate() throws {
        guard !reason.isEmpty else { throw ValidationError("--reason is required") }
    }

    func run() async throws {
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            try await Root.useCases(global).clear(challenge, id: id, reason: reason)
            if global.json {
                print(PodiumJSON.encode(ClearedBody(cleared: id)))
            } else {
                print("submission \(id) cleared: back on the public leaderboard")
            }
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}
