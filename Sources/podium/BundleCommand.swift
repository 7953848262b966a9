import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain

/// `podium bundle init` and `podium bundle test`: a model bundle's starting point, and a trial
/// run that records nothing.
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Start a model bundle, or try one in the sandbox without submitting it.",
        discussion: "Example:\n  podium bundle init --runtime deep my-model\n"
            + "  podium bundle test my-model --challenge datasets/fashion-images",
        subcommands: [BundleInit.self, BundleTest.self])
}

struct BundleInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract:
            "Write a minimal working bundle: bundle.yaml and a predict.py reading PODIUM_INPUT, writing PODIUM_OUTPUT.",
        discussion: """
            The runtimes: tabular (numpy, pandas, scikit-learn, scipy, XGBoost, LightGBM; the default), deep \
            (TensorFlow CPU with Keras, ONNX Runtime), embeddings (the all-MiniLM-L6-v2 sentence encoder's \
            weights and tokenizer, with numpy and scikit-learn). With --challenge, predict.py writes that \
            challenge's id and prediction columns. DIR must not exist or be empty.

            Example:
              podium bundle init --runtime tabular my-model --challenge datasets/flight-cancellations
            """)

    @Option(help: "The runtime: tabular, deep or embeddings.")
    var runtime = "tabular"

    @Option(help: "A challenge folder (or a published challenge's id) whose columns predict.py writes.")
    var challenge: String?

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The new bundle's folder.")
    var folder: String

    func run() throws {
        do {
            guard BundleTemplate.runtimes.contains(runtime) else {
                throw JudgeError(
                    code: .usage,
                    message: "no runtime '\(runtime)'; choose \(BundleTemplate.runtimes.joined(separator: ", "))")
            }
            let config = try challenge.map { name throws(JudgeError) in try BundleTest.challenge(name, global).config }
            let files = BundleTemplate.files(runtime: runtime, config: config)
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            guard existing.isEmpty else {
                throw JudgeError(code: .alreadyExists, message: "\(folder) is not empty; give a new folder")
            }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (name, text) in files.sorted(by: { $0.key < $1.key }) {
                    try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
                }
            } catch {
                throw JudgeError(code: .unwritableOutput, message: "cannot write \(folder): \(error)")
            }
            print("wrote \(folder)/bundle.yaml and \(folder)/predict.py (runtime \(runtime))")
            print(
                "next: put your model beside predict.py, then `podium bundle test \(folder) --challenge "
                    + "\(challenge ?? "CHALLENGE")`")
        } catch {
            throw rejection(error, json: global.json)
        }
    }
}

struct BundleTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract:
            "Run a bundle in the sandbox on a challenge's test.csv, as a submission would run, recording nothing.",
        discussion: """
            BUNDLE is a folder (packed as a submit would) or an archive. The run is a submission's: the safe \
            extractor, the runtime checked against those the challenge allows, the challenge's limits, its \
            test.csv. With the answer key at hand (a challenge folder with solution.csv, or a challenge \
            published in the home) the public scores are shown as a submit would show them; without it, the \
            predictions are checked for their columns and every test id exactly once. Exit status 1 when a \
            submission of this bundle would be rejected or fail.

            Example:
              podium bundle test my-model --challenge datasets/fashion-images
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The bundle: a folder with bundle.yaml, or an archive of one.")
    var bundle: String

    @Option(help: "A challenge folder, or the id of a published challenge.")
    var challenge: String

    /// A challenge folder, or a published challenge's current version.
    static func challenge(_ name: String, _ global: GlobalOptions) throws(JudgeError) -> (
        folder: String, config: ChallengeConfig
    ) {
        if FileManager.default.fileExists(atPath: (name as NSString).appendingPathComponent("challenge.yaml")) {
            return (name, try ChallengeConfig.load(folder: name))
        }
        let opened = try Root.services(global).open(name)
        return (opened.folder(opened.version.number), opened.config)
    }

    func run() async throws {
        do {
            let (folder, config) = try Self.challenge(challenge, global)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: bundle, isDirectory: &isFolder) else {
                throw JudgeError(code: .missingFile, message: "there is no bundle at \(bundle)")
            }
            let archive = isFolder.boolValue ? try Publish.archive(bundle) : bundle
            defer { if isFolder.boolValue { unlink(archive) } }
            let services = try Root.services(global)
            let outcome = try await UseCases(services).run { services throws(JudgeError) in
                try BundleTrial.run(archive: archive, folder: folder, config: config, services: services)
            }
            print(BundleTrialText.text(outcome, config: config, json: global.json))
            if outcome.error != nil { throw ExitWith(status: 1) }
        } catch {
            throw rejection(error, json: global.json)
        }
    }
}
