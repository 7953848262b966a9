import Foundation
import PodiumApp
import PodiumDomain
import PodiumFiles
import PodiumPasswords
import PodiumSQLite
import PodiumSandbox

/// A course served for real: a home with a student (a password set through her invite) and an
/// instructor (an API token), a small regression challenge folder, and `podium serve` on a free
/// loopback port.
final class Course {
    let root: String
    var home: String { root + "/home" }
    var folder: String { root + "/challenge" }
    let password = "correct horse battery"
    private(set) var instructorToken = ""
    private(set) var url = ""
    private var server: Process?

    init() throws {
        root = try temporaryFolder("course")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "id: arena\ntitle: Arena\ntask: regression\nmetric: mae\nmetrics: [rmse]\n".write(
            toFile: folder + "/challenge.yaml", atomically: true, encoding: .utf8)
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
        try makeAccounts()
    }

    /// alice (student) redeems her invite with `password`; carol (instructor) gets a token.
    private func makeAccounts() throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var services = Services(
            challenges: SQLiteChallenges(root: home), blobs: HomeFolder(root: home),
            sandbox: LauncherSandbox(launcher: "/nonexistent", searchFolders: [], runtimes: nil))
        services.accounts = try AccountDatabase(home: home)
        services.passwords = BcryptPasswords()
        let invite = try Accounts.add("alice", role: .student, display: nil, email: nil, services: services)
        _ = try Accounts.redeem(invite: invite.code, password: password, services: services)
        _ = try Accounts.add("carol", role: .instructor, display: nil, email: nil, services: services)
        instructorToken = try Accounts.issueToken("carol", services: services)
    }

    /// Starts `podium serve --port 0` and reads the address it prints.
    func serve() throws {
        let log = root + "/serve.out"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        _ = FileManager.default.createFile(atPath: root + "/serve.err", contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: podium)
        process.arguments = ["serve", "--home", home, "--port", "0", "--workers", "1", "--grace", "1"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/serve.err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        server = process
        for _ in 0..<600 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                url = String(text[range])
                return
            }
            guard process.isRunning else { break }
            usleep(100_000)
        }
        let errors = (try? String(contentsOfFile: root + "/serve.err", encoding: .utf8)) ?? ""
        throw JudgeError(code: .internalFailure, message: "podium serve did not start: \(errors)")
    }

    /// SIGTERM, then the folder removed.
    func stop() {
        if let server, server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A predictions file whose MAE is `error` on every row.
    func predictions(_ error: Double, name: String) throws -> String {
        var text = "id,prediction\n"
        for i in 1...20 { text += "\(i),\(Double(i) + error)\n" }
        let path = root + "/\(name).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The arena's data is trivial on purpose (x = label): published over its leak checks.
    static let allowances = ["target_leak_feature", "id_order_leak", "duplicate_rows", "near_duplicate_rows"].flatMap {
        ["--allow", $0, "--reason", "the arena's data is trivial on purpose"]
    }
}
