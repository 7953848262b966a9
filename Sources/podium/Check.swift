import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain
import PodiumRendering

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a challenge's data for leaks and a broken time split.",
        discussion:
            "CHALLENGE is a challenge folder or a published challenge's id. Exit status 1 when a finding blocks."
            + "\n\nExample:\n  podium check datasets/flight-cancellations")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A challenge folder, or the id of a published challenge.")
    var challenge: String

    func run() async throws {
        do {
            let isFolder = FileManager.default.fileExists(
                atPath: (challenge as NSString).appendingPathComponent("challenge.yaml"))
            if !isFolder, let api = try RemoteMode.client(global) { return try await runRemote(api) }
            let services = try Root.services(global)
            let folder: String
            var flagged: [FlaggedSubmission]? = nil
            var published: PublishedChallenge? = nil
            if FileManager.default.fileExists(atPath: (challenge as NSString).appendingPathComponent("challenge.yaml"))
            {
                folder = challenge
            } else {
                let opened = try services.open(challenge)
                folder = opened.folder(opened.version.number)
                flagged = try await UseCases(services).flaggedSubmissions(challenge)
                published = opened
            }
            let config = try ChallengeConfig.load(folder: folder)
            var report = try DatasetChecks.run(folder: folder, config: config, parallelism: services.parallelism)
            if let published {
                // A published version may have been published over a blocking finding.
                report.allowed = try published.allowances()
            }
            if global.json {
                print(PodiumJSON.encode(CheckBody(report, flagged: flagged)))
            } else {
                print(report.text())
                if let flagged {
                    print(flagged.isEmpty ? "no flagged submissions" : "flagged submissions:")
                    for f in flagged { print("  \(f.id) \(f.participant): \(f.checks.joined(separator: ", "))") }
                }
            }
            if !report.refused.isEmpty { throw ExitWith(status: 1) }
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}
