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
            var flagged: [(id: Int64, participant: String, checks: [String])]? = nil
            if FileManager.default.fileExists(atPath: (challenge as NSString).appendingPathComponent("challenge.yaml")) {
                folder = challenge
            } else {
                let published = try Home(global.home).open(challenge)
                folder = published.home.versionFolder(published.id, published.version.number)
                flagged = try Views.flaggedSubmissions(challenge, home: Home(global.home))
            }
            let config = try ChallengeConfig.load(folder: folder)
            var report = try DatasetChecks.run(folder: folder, config: config)
            if flagged != nil {
                // A published version may have been published over a blocking finding.
                let published = try Home(global.home).open(challenge)
                report.allowed = try published.allowances()
            }
            if global.json {
                var json = report.json()
                if case .object(var pairs) = json, let flagged {
                    pairs.append(("flagged_submissions", .array(flagged.map { f in
                        .object([("id", .integer(Int(f.id))), ("participant", .string(f.participant)), ("checks", .array(f.checks.map(JSONValue.string)))])
                    })))
                    json = .object(pairs)
                }
                print(json.serialized())
            } else {
                print(report.text())
                if let flagged {
                    print(flagged.isEmpty ? "no flagged submissions" : "flagged submissions:")
                    for f in flagged { print("  \(f.id) \(f.participant): \(f.checks.joined(separator: ", "))") }
                }
            }
            if !report.refused.isEmpty { throw ExitWith(status: 1) }
        } catch let error as ExitWith {
            throw error
        } catch let error as JudgeError {
            throw rejection(error, json: global.json)
        }
    }
}
