import ArgumentParser
import Judge

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a predictions file: check limits, store, score, record.",
        discussion: "Prints what a student may see: status, public scores and rank; private scores only after the challenge closes. Exit status 1 when the submission is refused.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id (or its folder).")
    var challenge: String

    @Argument(help: "The predictions file.")
    var file: String

    @Option(name: .customLong("as"), help: "The participant's name.")
    var participant: String

    @Option(help: "A note stored with the submission.")
    var message: String?

    func run() throws {
        do {
            let receipt = try Submitter.submit(challenge, file: file, as: participant, message: message, home: Home(global.home))
            print(global.json ? receipt.json().serialized() : receipt.text())
            if receipt.submission.status == "rejected" { throw ExitWith(status: 1) }
            if receipt.submission.status == "failed" { throw ExitWith(status: receipt.error?.isInternal == true ? 3 : 1) }
        } catch let error as ExitWith {
            throw error
        } catch let error as JudgeError {
            throw rejection(error, json: global.json)
        }
    }
}
