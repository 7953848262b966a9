import ArgumentParser
import PodiumApp
import PodiumDomain
import PodiumRendering

struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a predictions file: check limits, store, score, record.",
        discussion:
            "Prints what a student may see: status, public scores and rank; private scores only after the challenge "
            + "closes. Exit status 1 when the submission is refused."
            + "\n\nExample:\n  podium submit flight-cancellations predictions.csv --as alice --message \"gradient boosting\""
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Argument(help: "The predictions file.")
    var file: String

    @Option(name: .customLong("as"), help: "The participant's name.")
    var participant: String

    @Option(help: "A note stored with the submission.")
    var message: String?

    func validate() throws {
        try requireName(participant)
    }

    func run() async throws {
        do {
            let receipt = try await Root.useCases(home: global.home).submit(
                challenge, file: file, as: participant, message: message)
            print(global.json ? PodiumJSON.encode(ReceiptBody(receipt)) : receipt.text())
            if receipt.submission.status == .rejected { throw ExitWith(status: 1) }
            if receipt.submission.status == .failed {
                throw ExitWith(status: receipt.error?.isInternal == true ? 3 : 1)
            }
        } catch {
            throw rejection(error, json: global.json, home: Root.home(global.home))
        }
    }
}
