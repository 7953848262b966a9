import ArgumentParser
import Foundation
import PodiumApp
import PodiumClient
import PodiumDomain

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the audit trail: every instructor action and every refusal by a limit, who did it and when.",
        discussion:
            "Without CHALLENGE, the whole course's trail (account changes too). The trail is append-only and "
            + "chained by hashes; it is checked every time it is read: an event edited or removed by hand fails "
            + "with audit_broken (exit 1), naming the first one that does not hold."
            + "\n\nExample:\n  podium audit flight-cancellations\n  podium audit --limit 20 --json")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A challenge id: only its events.")
    var challenge: String?

    @Option(help: "Only the last N events.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        do {
            let body: AuditBody
            if let api = try RemoteMode.client(global) {
                let path = challenge.map { RemoteMode.challengePath($0) + "/audit" } ?? "/api/v1/audit"
                let answer = try await api.send(.GET, path + (limit.map { "?limit=\($0)" } ?? ""))
                if global.json { return RemoteMode.printBody(answer) }
                body = try answer.decoded()
            } else {
                let services = try Root.services(global)
                let id = try challenge.map { name throws(JudgeError) in try services.open(name).id }
                let reading = try await UseCases(services).run { services throws(JudgeError) in
                    try AuditTrail.read(challenge: id, limit: limit, services: services)
                }
                body = AuditBody(reading, challenge: id)
                if global.json { return print(PodiumJSON.encode(body)) }
            }
            for line in body.lines { print(line) }
            let scope = body.challenge.map { "\($0): " } ?? ""
            print(
                "\(scope)\(body.events.count) events shown; the chain holds over all \(body.verified) events of the trail"
            )
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }
}
