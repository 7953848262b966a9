import ArgumentParser
import Foundation
import Judge

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a challenge's data for leaks and a broken time split.",
        discussion: "CHALLENGE is a challenge folder or a published challenge's id. Exit status 1 when a finding blocks.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A challenge folder, or the id of a published challenge.")
    var challenge: String

    func run() throws {
        do {
            let folder: String
            if FileManager.default.fileExists(atPath: (challenge as NSString).appendingPathComponent("challenge.yaml")) {
                folder = challenge
            } else {
                let published = try Home(global.home).open(challenge)
                folder = published.home.versionFolder(published.id, published.version.number)
            }
            let config = try ChallengeConfig.load(folder: folder)
            let report = try DatasetChecks.run(folder: folder, config: config)
            print(global.json ? report.json().serialized() : report.text())
            if !report.blocked.isEmpty { throw ExitWith(status: 1) }
        } catch let error as ExitWith {
            throw error
        } catch let error as JudgeError {
            throw rejection(error, json: global.json)
        }
    }
}
