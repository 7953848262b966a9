import Foundation
import PodiumDomain

/// A challenge folder in a fresh temporary directory.
struct TempChallenge {
    let folder: String

    init(yaml: String, solution: String) throws {
        folder = NSTemporaryDirectory() + "podium-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try yaml.write(toFile: folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        try solution.write(toFile: folder + "/solution.csv", atomically: true, encoding: .utf8)
    }

    /// Writes a file into the folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func writeBytes(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Scores `submission` text; returns the report or the rejection.
    func score(_ submission: String, extra: [String] = []) throws -> Result<ScoreReport, JudgeError> {
        let path = try write("submission-\(UUID().uuidString).csv", submission)
        return scoreFile(path, extra: extra)
    }

    func scoreFile(_ path: String, extra: [String] = []) -> Result<ScoreReport, JudgeError> {
        var options = Scorer.Options()
        options.extraMetrics = extra
        return Result { () throws(JudgeError) in
            let config = try ChallengeConfig.load(folder: folder)
            return try Scorer.score(folder: folder, config: config, predictions: path, options: options)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

/// The directory of this test file's fixtures.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Close to 1e-9 relative (exact for zero).
func close(_ a: Double, _ b: Double) -> Bool {
    abs(a - b) <= 1e-9 * abs(b) + 1e-15
}
