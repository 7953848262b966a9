import Foundation
import PodiumClient
import PodiumDomain
import PodiumSystem

// The remote branches of the instructors' `podium publish`, `rescore` and `check`.

extension Publish {
    func runRemote(_ api: APIClient) async throws {
        let archive = try Self.archive(folder)
        defer { unlink(archive) }
        var query = force ? ["force=1"] : []
        for (name, why) in zip(allow, reason) {
            query.append("allow=\(APIClient.segment(name))&reason=\(APIClient.segment(why))")
        }
        let bar = TransferBar("uploading \((folder as NSString).lastPathComponent)")
        let answer: APIClient.Answer
        do {
            answer = try await api.upload(
                "/api/v1/challenges" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), file: archive
            ) { bar.update($0, $1) }
            bar.finish()
        } catch {
            bar.finish()
            throw error
        }
        if global.json { return RemoteMode.printBody(answer) }
        print(RemoteText.publish(try answer.decoded()))
    }

    /// The folder as a `.tar.gz` in a new temporary file (`tar -czf`), its files at the root.
    static func archive(_ folder: String) throws(JudgeError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw JudgeError(code: .missingFile, message: "\(folder) is not a folder")
        }
        let path = NSTemporaryDirectory() + "/podium-publish-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tar.gz"
        let log = path + ".log"
        defer { unlink(log) }
        // posix_spawn, not Foundation's Process: this runs on Swift's cooperative pool.
        guard try runToEnd("/usr/bin/tar", ["-czf", path, "-C", folder, "."], output: log) else {
            unlink(path)
            let message = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw JudgeError(code: .missingFile, message: "tar could not pack \(folder): \(message)")
        }
        return path
    }
}

extension Rescore {
    func runRemote(_ api: APIClient) async throws {
        try RemoteMode.refuse("--dry-run", dryRun)
        let started: RemoteJob = try await api.send(.POST, RemoteMode.challengePath(challenge) + "/rescore").decoded()
        let bar = ProgressBar()
        let start = Date()
        var answer: APIClient.Answer
        var job: RemoteJob
        repeat {
            answer = try await api.send(.GET, "/api/v1/jobs/\(APIClient.segment(started.id))")
            job = try answer.decoded()
            if job.total > 0 { bar.update(job.done, job.total, Date().timeIntervalSince(start)) }
            if job.state == "running" { try? await Task.sleep(for: .seconds(1)) }
        } while job.state == "running"
        bar.finish()
        if let error = job.error, job.state != "done" {
            throw JudgeError(code: ErrorCode(rawValue: error.code), message: error.message)
        }
        if global.json { return RemoteMode.printBody(answer) }
        if let summary = job.summary { print(RemoteText.rescore(summary)) }
    }
}

extension Check {
    func runRemote(_ api: APIClient) async throws {
        let answer = try await api.send(.GET, RemoteMode.challengePath(challenge) + "/check")
        let report: RemoteCheck = try answer.decoded()
        if global.json { RemoteMode.printBody(answer) } else { print(RemoteText.check(report)) }
        if report.blocked { throw ExitWith(status: 1) }
    }
}
