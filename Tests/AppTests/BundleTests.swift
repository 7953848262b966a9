import Foundation
import PodiumApp
import PodiumDomain
import PodiumMetrics
import Testing

/// Model bundles through the sandbox port: the stub (no process) and, when it is built, the
/// real launcher.
@Suite("Bundles through the SandboxRunner port")
struct BundleTests {
    static let yaml = "submissions:\n  kinds: [predictions, bundle]\nsandbox:\n  wall_seconds: 20\n"

    /// A bundle whose `predict.py` predicts the test row's `x`.
    static func bundle(_ c: BinaryChallenge) throws -> String {
        let folder = c.home.root + "/bundle"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "run: python3 predict.py\n".write(toFile: folder + "/bundle.yaml", atomically: true, encoding: .utf8)
        try """
        import os
        rows = open(os.environ["PODIUM_INPUT"]).read().splitlines()[1:]
        with open(os.environ["PODIUM_OUTPUT"], "w") as f:
            f.write("id,prediction\\n")
            for r in rows:
                f.write(r + "\\n")
        """.write(toFile: folder + "/predict.py", atomically: true, encoding: .utf8)
        let archive = c.home.root + "/bundle.tar.gz"
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-czf", archive, "-C", folder, "bundle.yaml", "predict.py"]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        return archive
    }

    @Test func theSandboxPortsFailureIsTheJudgesNotTheStudents() async throws {
        let c = try BinaryChallenge(yaml: Self.yaml)
        defer { c.remove() }
        try c.publish()
        let r = try await Submitter.submit(
            "coin", file: try Self.bundle(c), as: "alice", message: nil, services: c.services(sandbox: NoSandbox()))
        #expect(r.submission.status == .failed && r.error?.code == .sandboxError)
        #expect(try c.home.records("coin").scores(withReports: false).map(\.status) == [.failed])
    }

    @Test(.enabled(if: RealSandbox.launcher != nil, "podium-launcher is not built"))
    func aBundleRunsInTheRealSandboxAndScoresAsItsPredictions() async throws {
        let sandbox = try #require(RealSandbox.runner())
        let c = try BinaryChallenge(yaml: Self.yaml)
        defer { c.remove() }
        try c.publish()
        let r = try await Submitter.submit(
            "coin", file: try Self.bundle(c), as: "alice", message: nil, services: c.services(sandbox: sandbox))
        #expect(r.submission.status == .scored, "\(String(describing: r.error))")
        #expect(r.report?.run?.exitCode == 0)
        let rows = BinaryChallenge.publicRows
        let expected = Reference.auc(
            Reference.split(c.testFeature, rows), Reference.split(BinaryChallenge.labels, rows))
        #expect(close(r.report?.outcome("auc", .public)?.value, expected))
    }
}
