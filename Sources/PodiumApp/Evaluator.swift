import Foundation
import PodiumChecks
import PodiumDomain
import PodiumTables
import SandboxProtocol

/// Scores a submitted file against a challenge folder: a predictions file directly, a model
/// bundle (an archive with `bundle.yaml` at its root, where the challenge takes bundles) by
/// running it in the sandbox first and scoring what it wrote.
public struct Evaluator: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    /// Reads, aligns and scores `submission` (or its bytes, already read).
    public func score(
        folder: String, config: ChallengeConfig, submission: String, bytes: InputBytes? = nil,
        options: Scorer.Options = Scorer.Options()
    ) throws(JudgeError) -> ScoreReport {
        var options = options
        options.settings = services.scoring
        // Only a regular file is read: a FIFO or a device would block (or never end).
        let archive: Bool
        if let bytes {
            archive = SubmissionFile.isArchive(bytes.bytes)
        } else {
            do { archive = try SubmissionFile.isArchive(path: submission) } catch { throw JudgeError(error) }
        }
        if config.submissions.kinds.contains("bundle"), archive,
            SubmissionFile.hasRootEntry(submission, named: "bundle.yaml")
        {
            let work = NSTemporaryDirectory() + "podium-bundle-" + UUID().uuidString
            try? FileManager.default.createDirectory(atPath: work + "/bundle", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            if let manifest = try BundleManifests.unpack(submission, into: work + "/bundle") {
                return try runBundle(manifest, folder: folder, config: config, work: work, options: options)
            }
            guard config.submissions.kinds.contains("predictions") else {
                throw JudgeError(
                    code: .notASubmission,
                    message: "this challenge takes model bundles: an archive with bundle.yaml at its root")
            }
        }
        return try Scorer.score(folder: folder, config: config, predictions: submission, bytes: bytes, options: options)
    }

    func runBundle(
        _ manifest: BundleManifests.Manifest, folder: String, config: ChallengeConfig, work: String,
        options: Scorer.Options
    ) throws(JudgeError) -> ScoreReport {
        let input = (folder as NSString).appendingPathComponent("test.csv")
        guard FileManager.default.fileExists(atPath: input) else {
            throw JudgeError(
                code: .missingFile, message: "running a bundle needs the challenge's test.csv", file: "test.csv")
        }
        // A FIFO given to the bundle would stall it until the wall limit, blamed on the student.
        do { try RegularFile.require(input) } catch { throw JudgeError(error, file: "test.csv") }
        let (output, run) = try runSandboxed(manifest, input: input, config: config, work: work)
        var report = try Scorer.score(folder: folder, config: config, predictions: output, bytes: nil, options: options)
        report.run = run
        report.checks += BundleChecks.run(
            bundle: work + "/bundle", manifest: manifest, folder: folder, config: config,
            parallelism: services.parallelism)
        return report
    }

    /// Runs an unpacked bundle (`work/bundle`) on `input` in the sandbox, with the runtime it
    /// names if the challenge allows it (else `runtime_not_allowed`, naming the allowed ones).
    public func runSandboxed(_ manifest: BundleManifests.Manifest, input: String, config: ChallengeConfig, work: String)
        throws(JudgeError) -> (predictions: String, run: SandboxRun)
    {
        let runtime = manifest.runtime ?? ChallengeConfig.SandboxLimits.defaultRuntime
        let allowed = config.sandbox.allowedRuntimes
        guard allowed.contains(runtime) else {
            throw JudgeError(
                code: .runtimeNotAllowed,
                message: "this bundle asks for the runtime '\(runtime)'; this challenge allows "
                    + "\(allowed.joined(separator: ", ")) (set `runtime:` in bundle.yaml to one of them)",
                column: "runtime", file: "bundle.yaml")
        }
        return try services.sandbox.run(
            command: manifest.command, bundle: work + "/bundle", input: input, runtime: runtime, limits: config.sandbox,
            work: work)
    }
}
