import Foundation
import PodiumSQLite
import Testing

/// A published-challenge playground: a regression challenge whose 20 solution rows are
/// `id = i, label = i` (ids 1–10 Public, 11–20 Private), a Podium home, and helpers that run
/// the real `podium` executable against them.
struct Arena {
    let root: String
    var home: String { root + "/home" }
    var folder: String { root + "/challenge" }

    init(yaml extra: String = "", metric: String = "mae", teams: String? = nil) throws {
        root = NSTemporaryDirectory() + "podium-arena-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/challenge", withIntermediateDirectories: true)
        let yaml = "id: arena\ntitle: Arena\ntask: regression\nmetric: \(metric)\nmetrics: [rmse]\n" + extra
        try yaml.write(toFile: folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        var train = "id,x,label\n"
        var test = "id,x\n"
        var solution = "id,label,Usage\n"
        for i in 1...20 {
            train += "\(100 + i),\(i),\(i)\n"
            test += "\(i),\(i)\n"
            solution += "\(i),\(i),\(i <= 10 ? "Public" : "Private")\n"
        }
        try train.write(toFile: folder + "/train.csv", atomically: true, encoding: .utf8)
        try test.write(toFile: folder + "/test.csv", atomically: true, encoding: .utf8)
        try solution.write(toFile: folder + "/solution.csv", atomically: true, encoding: .utf8)
        if let teams { try teams.write(toFile: folder + "/teams.csv", atomically: true, encoding: .utf8) }
    }

    /// The checks that block the arena's data.
    static let leaks = ["target_leak_feature", "id_order_leak", "duplicate_rows", "near_duplicate_rows"]

    /// The `--allow` arguments a `publish` of the arena needs (none for other commands).
    static func allowances(_ arguments: [String]) -> [String] {
        arguments.first == "publish"
            ? leaks.flatMap { ["--allow", $0, "--reason", "the arena's data is trivial on purpose"] } : []
    }

    /// Publishes the arena and submits three teams whose private absolute errors vary by row, so
    /// the bootstrap intervals have width: alice and bob close (a statistical tie), carol far worse.
    func publishWithTiedTeams() throws {
        try podium(["publish", folder])
        for (who, scale) in [("alice", 1.0), ("bob", 1.05), ("carol", 6.0)] {
            var text = "id,prediction\n"
            for i in 1...20 { text += "\(i),\(Double(i) + scale * Double((i * 7) % 5 + 1) * (i % 2 == 0 ? 1 : -1))\n" }
            let path = root + "/\(who).csv"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try podium(["submit", "arena", path, "--as", who]).status == 0)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Runs `podium ARGS --home HOME`.
    @discardableResult
    func podium(_ arguments: [String], now: String? = nil) throws -> CommandResult {
        var env: [String: String] = [:]
        if let now { env["PODIUM_NOW"] = now }
        // The arena's data is deliberately trivial (x = label = row number), which the dataset
        // checks rightly call a leak (thresholds lie in [0, 1]): it is published over them.
        return try run(podiumPath, arguments + Self.allowances(arguments) + ["--home", home], environment: env)
    }

    /// A predictions file whose MAE is `publicError` on Public rows and `privateError` on Private rows.
    func predictions(_ publicError: Double, _ privateError: Double, name: String = UUID().uuidString) throws -> String {
        var text = "id,prediction\n"
        for i in 1...20 { text += "\(i),\(Double(i) + (i <= 10 ? publicError : privateError))\n" }
        let path = root + "/\(name).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func submit(_ who: String, _ publicError: Double, _ privateError: Double, now: String? = nil) throws
        -> CommandResult
    {
        try podium(["submit", "arena", try predictions(publicError, privateError), "--as", who, "--json"], now: now)
    }

    func board(_ extra: [String] = [], now: String? = nil) throws -> [[String: Any]] {
        let r = try podium(["leaderboard", "arena", "--format", "json"] + extra, now: now)
        let json = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
        return json?["entries"] as? [[String: Any]] ?? []
    }

    /// The challenge's database, opened directly.
    func database() throws -> ChallengeDatabase {
        try ChallengeDatabase(path: home + "/arena/podium.sqlite")
    }
}
