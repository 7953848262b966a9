import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain
import PodiumRendering

struct Challenges: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the published challenges: state, deadline, limits.",
        discussion: """
            With --as, also what that participant (or team) has left today and when the day resets.

            Example:
              podium challenges --as alice
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("as"), help: "Show what this participant has left.")
    var participant: String?

    func validate() throws {
        try requireName(participant)
    }

    func run() async throws {
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let list = try await Root.useCases(global).challenges(participant: participant)
            print(global.json ? PodiumJSON.encode(list) : CatalogText.table(list, home: Root.home(global.home)))
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}

struct Info: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one challenge: title, state, deadlines, limits, files, what is left today.",
        discussion: """
            Example:
              podium info flight-cancellations --as alice
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Option(name: .customLong("as"), help: "Show what this participant has left today and in all.")
    var participant: String?

    func validate() throws {
        try requireName(participant)
    }

    func run() async throws {
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let info = try await Root.useCases(global).info(challenge, participant: participant)
            print(global.json ? PodiumJSON.encode(info) : CatalogText.info(info))
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}
