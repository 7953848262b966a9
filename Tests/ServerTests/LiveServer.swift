import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `podium` executable built beside the tests.
let podiumPath: String = {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("podium")
            .path,
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/podium").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
}()

/// A course for the server: a home with the arena challenge published (a regression whose 20
/// solution rows are `id = i, label = i`; 1–10 Public, 11–20 Private), accounts, and a real
/// `podium serve` on a free loopback port, talked to over HTTP.
final class LiveServer: @unchecked Sendable {
    let root: String
    var home: String { root + "/home" }
    var folder: String { root + "/challenge" }
    private(set) var process: Process?
    private(set) var port = 0
    var base: String { "http://127.0.0.1:\(port)" }
    /// Tokens of the accounts made by `account`.
    var tokens: [String: String] = [:]
    /// The output (stdout and stderr) of the last `podium serve` started.
    private(set) var logPath = ""

    init(yaml extra: String = "", teams: String? = nil, opens: String = "2020-01-01T00:00:00Z") throws {
        root = NSTemporaryDirectory() + "podium-server-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let yaml =
            "id: arena\ntitle: Arena\ntask: regression\nmetric: mae\nmetrics: [rmse]\n"
            + "opens: \(opens)\n" + extra
        try yaml.write(toFile: folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        var train = "id,x,label\n"
        var test = "id,x\n"
        var solution = "id,label,Usage\n"
        for i in 1...20 {
            train += "\(100 + i),\(i % 7),\((i * 13) % 11)\n"
            test += "\(i),\(i % 7)\n"
            solution += "\(i),\(i),\(i <= 10 ? "Public" : "Private")\n"
        }
        try train.write(toFile: folder + "/train.csv", atomically: true, encoding: .utf8)
        try test.write(toFile: folder + "/test.csv", atomically: true, encoding: .utf8)
        try solution.write(toFile: folder + "/solution.csv", atomically: true, encoding: .utf8)
        if let teams { try teams.write(toFile: folder + "/teams.csv", atomically: true, encoding: .utf8) }
        let published = try podium(["publish", folder] + Self.allow)
        guard published.status == 0 else { throw Failure("publish: \(published.stderr)") }
    }

    /// The arena's trivial data trips the leakage checks: it is published over them.
    static let allow = ["target_leak_feature", "id_order_leak", "duplicate_rows", "near_duplicate_rows"].flatMap {
        ["--allow", $0, "--reason", "test data"]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    /// Creates an account and an API token for it.
    @discardableResult
    func account(_ name: String, role: String = "student", display: String? = nil) throws -> String {
        var arguments = ["users", "add", name, "--role", role]
        if let display { arguments += ["--display", display] }
        let added = try podium(arguments)
        guard added.status == 0 else { throw Failure("users add: \(added.stderr)") }
        let token = try podium(["users", "token", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        tokens[name] = token
        return token
    }

    /// Runs `podium ARGS --home HOME`.
    @discardableResult
    func podium(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try Run.command(podiumPath, arguments + ["--home", home], environment: environment)
    }

    /// Runs `podium ARGS` as the remote command line of `who` against this server (no home).
    func podiumRemote(_ arguments: [String], as who: String) throws -> Run {
        try Run.command(
            podiumPath, arguments,
            environment: ["PODIUM_SERVER": base, "PODIUM_TOKEN": tokens[who] ?? "", "HOME": root, "PODIUM_HOME": ""])
    }

    /// Starts `podium serve` and waits for it to listen.
    func start(_ extra: [String] = [], environment: [String: String] = [:], scheme: String = "http") throws {
        let log = root + "/serve-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        logPath = log
        let p = Process()
        p.executableURL = URL(fileURLWithPath: podiumPath)
        p.arguments = ["serve", "--home", home, "--port", "0"] + extra
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on \(scheme)://") {
                let address = text[range.upperBound...].prefix { $0 != " " }
                let digits = address.split(separator: ":").last ?? ""
                port = Int(digits) ?? 0
                return
            }
            if !p.isRunning { throw Failure("podium serve exited: \(text)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure("podium serve did not start")
    }

    /// `SIGTERM` (graceful) or `SIGKILL`, then waits for the process.
    func stop(signal: Int32 = SIGTERM) {
        guard let p = process else { return }
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        process = nil
    }

    func remove() {
        stop(signal: SIGKILL)
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A predictions file whose MAE is `publicError` on Public rows and `privateError` on Private ones.
    func predictions(_ publicError: Double, _ privateError: Double = 0) throws -> String {
        var text = "id,prediction\n"
        for i in 1...20 { text += "\(i),\(Double(i) + (i <= 10 ? publicError : privateError))\n" }
        let path = root + "/\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var array: [[String: Any]]? { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] }
        var code: String? { (json?["error"] as? [String: Any])?["code"] as? String }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    func request(
        _ method: String, _ path: String, as who: String? = nil, token: String? = nil, body: Data? = nil,
        headers: [String: String] = [:]
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 90
        if let token = token ?? who.flatMap({ tokens[$0] }) {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields { fields["\(k)"] = "\(v)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    /// Uploads a file as `who`; returns the reply of the `POST`.
    func submit(_ file: String, as who: String, challenge: String = "arena", message: String? = nil) async throws
        -> Reply
    {
        var headers = [
            "Content-Type": "application/octet-stream", "Podium-File-Name": (file as NSString).lastPathComponent,
        ]
        if let message {
            headers["Podium-Message"] = message.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
        }
        return try await request(
            "POST", "/api/v1/challenges/\(challenge)/submissions", as: who,
            body: try Data(contentsOf: URL(fileURLWithPath: file)), headers: headers)
    }

    /// Waits (long-polls) for a final status.
    func final(_ id: String, as who: String, seconds: Double = 60) async throws -> Reply {
        let deadline = Date().addingTimeInterval(seconds)
        var reply = try await request("GET", "/api/v1/submissions/\(id)?wait=20", as: who)
        while ["queued", "running"].contains(reply.json?["status"] as? String ?? "") && Date() < deadline {
            reply = try await request("GET", "/api/v1/submissions/\(id)?wait=20", as: who)
        }
        return reply
    }
}

/// A finished command.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String

    static func command(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> Run
    {
        let dir = NSTemporaryDirectory() + "podium-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, stdout: (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")
    }
}
