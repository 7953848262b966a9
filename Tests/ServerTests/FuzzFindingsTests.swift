import Foundation
import Testing

/// What scripts/api-fuzz.sh (schemathesis against docs/openapi.json) found, each kept fixed.
@Suite("Found by the API fuzzer", .serialized)
struct FuzzFindingsTests {
    /// Requests for a private board that arrive while its bootstrap intervals are being computed
    /// wait for that computation instead of each starting it again (under the fuzzer, and at
    /// `closes` when a class opens the board at once, the repeated work starved the server).
    @Test func concurrentPrivateBoardsComputeTheIntervalsOnce() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        // A challenge large enough that one computation outlasts the requests' arrival.
        let rows = 60_000
        let folder = s.root + "/big"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "id: big\ntitle: Big\ntask: regression\nmetric: mae\nopens: 2020-01-01T00:00:00Z\n".write(
            toFile: folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        var train = "id,x,label\n"
        var test = "id,x\n"
        var solution = "id,label,Usage\n"
        var predictions = "id,prediction\n"
        for i in 1...rows {
            train += "\(rows + i),\(i % 7),\((i * 13) % 11)\n"
            test += "\(i),\(i % 7)\n"
            solution += "\(i),\(i % 10),\(i % 2 == 0 ? "Public" : "Private")\n"
            predictions += "\(i),\(Double((i * 7) % 10) + 0.5)\n"
        }
        try train.write(toFile: folder + "/train.csv", atomically: true, encoding: .utf8)
        try test.write(toFile: folder + "/test.csv", atomically: true, encoding: .utf8)
        try solution.write(toFile: folder + "/solution.csv", atomically: true, encoding: .utf8)
        let file = s.root + "/predictions.csv"
        try predictions.write(toFile: file, atomically: true, encoding: .utf8)
        let published = try s.podium(["publish", folder] + LiveServer.allow)
        #expect(published.status == 0, "\(published.stderr)")
        try s.account("alice")
        try s.account("prof", role: "instructor")
        try s.start(["--workers", "1"])
        let accepted = try await s.submit(file, as: "alice", challenge: "big")
        #expect(accepted.status == 202, "\(accepted.text)")
        let final = try await s.final("big-1", as: "alice", seconds: 120)
        #expect(final.json?["status"] as? String == "scored", "\(final.text)")

        let boards = try await withThrowingTaskGroup(of: LiveServer.Reply.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await s.request("GET", "/api/v1/challenges/big/leaderboard?board=private", as: "prof")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for board in boards {
            #expect(board.status == 200, "\(board.text)")
            let entries = board.json?["entries"] as? [[String: Any]]
            #expect(entries?.first?["ci_low"] is Double, "every answer has the interval: \(board.text.prefix(300))")
        }
        let metrics = try await s.request("GET", "/metrics")
        #expect(metrics.text.contains("\npodium_board_intervals_computed_total 1\n"), "\(metrics.text.prefix(900))")
    }
}
