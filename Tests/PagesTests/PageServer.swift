import Foundation
import Testing

/// The `podium` executable the pages are served by (`swift build` makes it; the tests build nothing).
let podiumPath: String = {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("podium")
            .path,
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/podium").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
}()

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

/// A course behind `podium serve --home TMP --port 0`: a small regression challenge ("arena",
/// 20 rows, published over the checks its trivial data trips), accounts, and a plain HTTP/1.1
/// client that follows no redirect and keeps no cookie (each request says what it sends).
final class PageServer: @unchecked Sendable {
    let root: String
    var home: String { root + "/home" }
    private var process: Process?
    private(set) var port = 0
    /// Each account's API token, usable as its session cookie (a session is a token).
    var tokens: [String: String] = [:]
    /// Each account's invite code.
    var invites: [String: String] = [:]

    init(yaml extra: String = "") throws {
        root = NSTemporaryDirectory() + "podium-pages-" + UUID().uuidString
        let folder = root + "/arena"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let yaml =
            "id: arena\ntitle: Arena\ntask: regression\nmetric: mae\nopens: 2020-01-01T00:00:00Z\n" + extra
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
        try "# Arena\n\nPredict `label`.\n\n- one\n- two\n".write(
            toFile: folder + "/README.md", atomically: true, encoding: .utf8)
        let allow = ["target_leak_feature", "id_order_leak", "duplicate_rows", "near_duplicate_rows"].flatMap {
            ["--allow", $0, "--reason", "test data"]
        }
        let published = try podium(["publish", folder] + allow)
        guard published.status == 0 else { throw Failure("publish: \(published.stderr)") }
    }

    /// Adds an account (its invite code kept) and an API token for it (its cookie in these tests).
    @discardableResult
    func account(_ name: String, role: String = "student", display: String? = nil) throws -> String {
        var arguments = ["users", "add", name, "--role", role]
        if let display { arguments += ["--display", display] }
        let added = try podium(arguments)
        guard added.status == 0 else { throw Failure("users add: \(added.stderr)") }
        if let range = added.stdout.range(of: "inv_") {
            invites[name] = String(added.stdout[range.lowerBound...].prefix { !$0.isWhitespace })
        }
        let token = try podium(["users", "token", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        tokens[name] = token
        return token
    }

    func podium(_ arguments: [String]) throws -> Command {
        try Command.run(podiumPath, arguments + ["--home", home])
    }

    func start(_ extra: [String] = []) throws {
        let log = root + "/serve.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: podiumPath)
        p.arguments = ["serve", "--home", home, "--port", "0", "--workers", "1"] + extra
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
                return
            }
            if !p.isRunning { throw Failure("podium serve exited: \(text)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure("podium serve did not start")
    }

    func remove() {
        if let p = process {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        func all(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
        /// The value of the form's hidden `csrf` field.
        var csrf: String? {
            guard let range = body.range(of: "name=\"csrf\" value=\"") else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// One request on its own connection (`Connection: close`), as `who` by their session cookie.
    func request(
        _ method: String, _ path: String, as who: String? = nil, cookie: String? = nil, body: [UInt8] = [],
        headers: [String: String] = [:]
    ) throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let value = cookie ?? who.flatMap({ tokens[$0] }) { head += "Cookie: podium_session=\(value)\r\n" }
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let raw = try Self.exchange(port: port, Array(head.utf8) + body)
        return try Self.parse(raw)
    }

    /// A urlencoded form post.
    func post(_ path: String, as who: String? = nil, cookie: String? = nil, _ fields: [String: String]) throws -> Reply
    {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        return try request(
            "POST", path, as: who, cookie: cookie, body: Array(body.utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
    }

    /// The submit form as a browser sends it.
    func submitForm(
        _ challenge: String = "arena", as who: String, csrf: String?, fileName: String, file: String,
        message: String = ""
    ) throws -> Reply {
        let boundary = "----podiumtest\(UInt32.random(in: 0...UInt32.max))"
        var body = ""
        if let csrf { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n" }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n\(message)\r\n"
        let quoted = fileName.replacingOccurrences(of: "\"", with: "%22")
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(quoted)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        return try request(
            "POST", "/c/\(challenge)/submit", as: who, body: Array(body.utf8),
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
    }

    /// Predictions whose MAE is `error` on every row.
    static func predictions(_ error: Double) -> String {
        var text = "id,prediction\n"
        for i in 1...20 { text += "\(i),\(Double(i) + error)\n" }
        return text
    }

    /// Waits until submission `n` of the arena is final (read through its page).
    func waitFinal(_ n: Int, as who: String, seconds: Double = 60) throws -> Reply {
        let deadline = Date().addingTimeInterval(seconds)
        var reply = try request("GET", "/c/arena/submissions/\(n)", as: who)
        while reply.body.contains("data-poll=") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            reply = try request("GET", "/c/arena/submissions/\(n)", as: who)
        }
        return reply
    }

    static func exchange(port: Int, _ bytes: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure("connect: errno \(errno)") }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { break }  // the server may answer (413, 403) before reading it all
            sent += n
        }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    static func parse(_ raw: [UInt8]) throws -> Reply {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, raw.count - 3)).first(where: { Array(raw[$0..<$0 + 4]) == separator }) else {
            throw Failure("no HTTP answer: \(String(decoding: raw, as: UTF8.self))")
        }
        let lines = String(decoding: raw[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(raw[(end + 4)...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased() == "chunked" }) {
            body = dechunk(body)
        }
        return Reply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var k = 0
        while k < bytes.count {
            var line = ""
            while k + 1 < bytes.count && !(bytes[k] == 13 && bytes[k + 1] == 10) {
                line.append(Character(UnicodeScalar(bytes[k])))
                k += 1
            }
            k += 2
            guard let size = Int(line.split(separator: ";")[0], radix: 16), size > 0, k + size <= bytes.count else {
                break
            }
            out += bytes[k..<k + size]
            k += size + 2
        }
        return out
    }
}

/// A finished command's status and output.
struct Command {
    var status: Int32
    var stdout: String
    var stderr: String

    static func run(_ executable: String, _ arguments: [String]) throws -> Command {
        let dir = NSTemporaryDirectory() + "podium-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return Command(
            status: p.terminationStatus, stdout: (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")
    }
}
