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
            + " With a server (podium login) the file is uploaded, then the command waits for the score; --as is "
            + "not needed (the token says who you are)."
            + "\n\nExample:\n  podium submit flight-cancellations predictions.csv --as alice --message \"gradient boosting\""
            + "\n  podium submit flight-cancellations predictions.csv -m \"gradient boosting\"   (after podium login)"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Argument(help: "The predictions file.")
    var file: String

    @Option(name: .customLong("as"), help: "The participant's name (a local home; a server knows you from your token).")
    var participant: String?

    @Option(name: .shortAndLong, help: "A note stored with the submission.")
    var message: String?

    @Flag(
        name: .customLong("no-wait"),
        help: "On a server: print the submission's id and status, do not wait for the score.")
    var noWait = false

    func validate() throws {
        try requireName(participant)
        if participant == nil && !RemoteMode.isRemote(global) {
            throw ValidationError("--as is required on a local home")
        }
    }

    func run() async throws {
        do {
            if let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let receipt = try await Root.useCases(global).submit(
                challenge, file: file, as: participant ?? "", message: message)
            print(global.json ? PodiumJSON.encode(ReceiptBody(receipt)) : receipt.text())
            if receipt.submission.status == .rejected { throw ExitWith(status: 1) }
            if receipt.submission.status == .failed {
                throw ExitWith(status: receipt.error?.isInternal == true ? 3 : 1)
            }
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}
