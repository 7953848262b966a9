import Foundation
import PodiumApp
import PodiumDomain

/// A small binary challenge `coin` with clean data (noise features, labels by a fixed
/// pattern), whose scores the tests compute with `Reference`: 20 test rows, ids 1–10 Public,
/// 11–20 Private; `auc` ranks, `accuracy` is shown beside it.
struct BinaryChallenge {
    let home: TestHome
    var folder: String { home.root + "/coin" }
    let id = "coin"

    static let labels = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1]
    static let publicRows = 0..<10
    static let privateRows = 10..<20
    /// The feature `x` of test.csv, which a bundle may predict from.
    let testFeature: [Double]

    init(yaml extra: String = "") throws {
        home = try TestHome()
        let folder = home.root + "/coin"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let yaml = "id: coin\ntitle: Coin\ntask: binary\nmetric: auc\nmetrics: [accuracy]\n" + extra
        try yaml.write(toFile: folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        var numbers = SeededNumbers(seed: 11)
        var train = "id,x,label\n"
        var test = "id,x\n"
        var solution = "id,label,Usage\n"
        for i in 1...80 { train += "\(100 + i),\(numbers.next()),\(numbers.next() < 0.5 ? 0 : 1)\n" }
        var feature: [Double] = []
        for i in 1...20 {
            let x = numbers.next()
            feature.append(x)
            test += "\(i),\(x)\n"
            solution += "\(i),\(Self.labels[i - 1]),\(i <= 10 ? "Public" : "Private")\n"
        }
        testFeature = feature
        try train.write(toFile: folder + "/train.csv", atomically: true, encoding: .utf8)
        try test.write(toFile: folder + "/test.csv", atomically: true, encoding: .utf8)
        try solution.write(toFile: folder + "/solution.csv", atomically: true, encoding: .utf8)
    }

    func services(at now: Date = Arena.day, sandbox: any SandboxRunner = NoSandbox()) -> Services {
        home.services(at: now, sandbox: sandbox)
    }

    /// Publishes the folder, with no allowance.
    @discardableResult
    func publish() throws(JudgeError) -> Publisher.Outcome {
        try Publisher.publish(folder, services: services(), force: false)
    }

    /// A predictions file with one probability per test row (ids 1–20 in order).
    func predictions(_ values: [Double]) throws -> String {
        var text = "id,prediction\n"
        for (k, v) in values.enumerated() { text += "\(k + 1),\(v)\n" }
        return try home.write(UUID().uuidString + ".csv", text)
    }

    func submit(_ who: String, _ values: [Double], sandbox: any SandboxRunner = NoSandbox()) async throws
        -> Submitter.Receipt
    {
        try await Submitter.submit(
            id, file: try predictions(values), as: who, message: nil, services: services(sandbox: sandbox))
    }

    func remove() { home.remove() }
}

/// Reference implementations of the metrics the tests check, written from their definitions.
enum Reference {
    /// ROC AUC as the Mann–Whitney statistic: the share of (positive, negative) pairs the
    /// scores order correctly, a tie counting one half.
    static func auc(_ scores: [Double], _ labels: [Int]) -> Double {
        var wins = 0.0
        var pairs = 0.0
        for (s, y) in zip(scores, labels) where y == 1 {
            for (t, z) in zip(scores, labels) where z == 0 {
                pairs += 1
                wins += s > t ? 1 : s == t ? 0.5 : 0
            }
        }
        return wins / pairs
    }

    /// The share of rows whose label is `score >= threshold`.
    static func accuracy(_ scores: [Double], _ labels: [Int], threshold: Double = 0.5) -> Double {
        let hits = zip(scores, labels).filter { ($0.0 >= threshold ? 1 : 0) == $0.1 }.count
        return Double(hits) / Double(labels.count)
    }

    static func mae(_ predictions: [Double], _ labels: [Double]) -> Double {
        zip(predictions, labels).map { abs($0 - $1) }.reduce(0, +) / Double(labels.count)
    }

    /// The rows of a split.
    static func split<T>(_ values: [T], _ rows: Range<Int>) -> [T] { Array(values[rows]) }
}

/// A fixed sequence of numbers in [0, 1) (a 64-bit linear congruential generator).
struct SeededNumbers {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
}
