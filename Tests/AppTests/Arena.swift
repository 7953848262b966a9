import Foundation
import PodiumApp
import PodiumChecks
import PodiumDomain

/// The arena of the end-to-end tests (Tests/JudgeTests/ArenaSupport.swift), generated here: a
/// regression challenge `arena` whose 20 solution rows are `id = i, label = i` (ids 1–10
/// Public, 11–20 Private), in a fresh home. A file predicting `i + e` has MAE |e| on a split.
struct Arena {
    let home: TestHome
    var folder: String { home.root + "/challenge" }
    let id = "arena"

    /// Submission times default to this instant (a Tuesday, 10:00 UTC).
    static let day = instant("2026-11-10T10:00:00Z")

    /// The checks that block the arena's deliberately trivial data (x = label = row number).
    static let leaks: [CheckName] = [.targetLeakFeature, .idOrderLeak, .duplicateRows, .nearDuplicateRows]
    static let allowances = Dictionary(
        uniqueKeysWithValues: leaks.map { ($0, "the arena's data is trivial on purpose") })

    init(yaml extra: String = "", teams: String? = nil, store: StoreKind = .current) throws {
        home = try TestHome(store: store)
        try FileManager.default.createDirectory(atPath: home.root + "/challenge", withIntermediateDirectories: true)
        let yaml = "id: arena\ntitle: Arena\ntask: regression\nmetric: mae\nmetrics: [rmse]\n" + extra
        try yaml.write(toFile: folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        var train = "id,x,label\n"
        var test = "id,x\n"
        for i in 1...20 {
            train += "\(100 + i),\(i),\(i)\n"
            test += "\(i),\(i)\n"
        }
        try train.write(toFile: folder + "/train.csv", atomically: true, encoding: .utf8)
        try test.write(toFile: folder + "/test.csv", atomically: true, encoding: .utf8)
        try writeSolution()
        if let teams { try teams.write(toFile: folder + "/teams.csv", atomically: true, encoding: .utf8) }
    }

    /// Writes the answer key with the labels moved by `publicShift` on Public rows and
    /// `privateShift` on Private rows.
    func writeSolution(publicShift: Double = 0, privateShift: Double = 0) throws {
        var solution = "id,label,Usage\n"
        for i in 1...20 {
            let label = Double(i) + (i <= 10 ? publicShift : privateShift)
            solution += "\(i),\(label),\(i <= 10 ? "Public" : "Private")\n"
        }
        try solution.write(toFile: folder + "/solution.csv", atomically: true, encoding: .utf8)
    }

    func services(at now: Date = Arena.day, sandbox: any SandboxRunner = NoSandbox()) -> Services {
        home.services(at: now, sandbox: sandbox)
    }

    /// Publishes the folder over the arena's known leaks.
    @discardableResult
    func publish(force: Bool = false, at now: Date = Arena.day) throws(JudgeError) -> Publisher.Outcome {
        try Publisher.publish(folder, services: services(at: now), force: force, allow: Self.allowances)
    }

    /// A predictions file whose MAE is `publicError` on Public rows and `privateError` on Private rows.
    func predictions(_ publicError: Double, _ privateError: Double) throws -> String {
        var text = "id,prediction\n"
        for i in 1...20 { text += "\(i),\(Double(i) + (i <= 10 ? publicError : privateError))\n" }
        return try home.write(UUID().uuidString + ".csv", text)
    }

    /// `podium submit` in-process.
    func submit(_ who: String, _ publicError: Double, _ privateError: Double, at now: Date = Arena.day) async throws
        -> Submitter.Receipt
    {
        let file = try predictions(publicError, privateError)
        return try await Submitter.submit(id, file: file, as: who, message: nil, services: services(at: now))
    }

    func records() throws(JudgeError) -> any ChallengeRecords { try home.records(id) }

    func board(_ kind: Board.Kind = .public, reveal: Bool = false, version: Int? = nil, at now: Date = Arena.day)
        throws(JudgeError) -> Board
    {
        try Views.leaderboard(id, services: services(at: now), kind: kind, reveal: reveal, version: version).0
    }

    func remove() { home.remove() }
}
