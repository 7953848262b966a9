import Foundation
import PodiumDomain
import PodiumTables
import SandboxProtocol

/// `podium bundle test`: a bundle run as a submission would run it — unpacked by the safe
/// extractor, its runtime checked against the challenge's, in the sandbox under the
/// challenge's limits, on its `test.csv` — and nothing recorded. With the answer key at hand
/// (a challenge folder with `solution.csv`, or a published challenge) it is scored too; without
/// one, its output is checked for what intake would refuse first: the columns and every test id
/// exactly once.
public enum BundleTrial {
    public struct Outcome: Sendable {
        public var run: SandboxRun?
        /// The scores, when the answer key was at hand.
        public var report: ScoreReport?
        /// Rows of the predictions, when only their shape was checked.
        public var rows: Int?
        /// Why a submission of this bundle would be refused or fail.
        public var error: JudgeError?
    }

    /// Tries the bundle archive `archive` on the challenge folder `folder` (configured by `config`).
    public static func run(archive: String, folder: String, config: ChallengeConfig, services: Services)
        throws(JudgeError) -> Outcome
    {
        guard config.submissions.kinds.contains("bundle") else {
            throw JudgeError(
                code: .notASubmission, message: "\(config.id) takes prediction files only, not model bundles")
        }
        let evaluator = Evaluator(services)
        if FileManager.default.fileExists(atPath: folder + "/solution.csv") {
            do {
                let report = try evaluator.score(folder: folder, config: config, submission: archive)
                return Outcome(run: report.run, report: report)
            } catch {
                return Outcome(run: error.run, error: error)
            }
        }
        let work = NSTemporaryDirectory() + "podium-bundle-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: work + "/bundle", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        do throws(JudgeError) {
            guard let manifest = try BundleManifests.unpack(archive, into: work + "/bundle") else {
                throw JudgeError(code: .badBundle, message: "the bundle has no bundle.yaml at its root")
            }
            let input = folder + "/test.csv"
            let (output, run) = try evaluator.runSandboxed(manifest, input: input, config: config, work: work)
            return Outcome(run: run, rows: try checkShape(output, test: input, config: config))
        } catch {
            return Outcome(run: error.run, error: error)
        }
    }

    /// The predictions have the id and prediction columns and every id of `test.csv` once.
    static func checkShape(_ predictions: String, test: String, config: ChallengeConfig) throws(JudgeError) -> Int {
        let columns =
            config.task == .ranking
            ? [config.columns.query, config.columns.item] : [config.columns.id, config.columns.prediction]
        let idColumns = config.task == .ranking ? [config.columns.query] : [config.columns.id]
        func rows(_ path: String, _ required: [String]) throws(JudgeError) -> [[String: String]] {
            let name = (path as NSString).lastPathComponent
            do {
                return try TextRows.read(try InputBytes(mapping: path), required: required, optional: [], file: name)
            } catch { throw JudgeError(error, file: name) }
        }
        let predicted = try rows(predictions, columns)
        guard config.task != .ranking else { return predicted.count }
        let expected = Set(try rows(test, idColumns).compactMap { $0[config.columns.id] })
        var seen: Set<String> = []
        for (k, row) in predicted.enumerated() {
            let id = row[config.columns.id] ?? ""
            guard seen.insert(id).inserted else {
                throw JudgeError(code: .duplicateId, message: "the id '\(id)' is predicted twice", row: k + 2)
            }
            guard expected.contains(id) else {
                throw JudgeError(
                    code: ErrorCode(IntakeError.Code.unknownID), message: "the id '\(id)' is not in test.csv",
                    row: k + 2)
            }
        }
        if let missing = expected.subtracting(seen).sorted().first {
            throw JudgeError(
                code: ErrorCode(IntakeError.Code.missingID),
                message: "\(expected.count - seen.count) ids of test.csv have no prediction (the first: '\(missing)')")
        }
        return predicted.count
    }
}
