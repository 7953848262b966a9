import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A request sent byte for byte over a socket: the path is not normalised (`..`, `%2e%2e`, `//`
/// reach the server as written, which URLSession and curl would clean up) and any header can
/// be sent, malformed ones included.
enum RawHTTP {
    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var code: String? { (json?["error"] as? [String: Any])?["code"] as? String }
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `method path` with `headers` (and `Connection: close`) to `host:port`; reads the whole answer.
    static func send(
        _ method: String, _ path: String, host: String = "127.0.0.1", port: Int, headers: [(String, String)] = [],
        body: Data = Data()
    ) throws -> Reply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Failure(description: "address \(host)") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect \(host):\(port): errno \(errno)") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var out = Data(head.utf8)
        out.append(body)
        try out.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.send(fd, bytes.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    // The server may answer (413) and close before the whole body is sent.
                    if errno == EPIPE || errno == ECONNRESET { break }
                    throw Failure(description: "send: errno \(errno)")
                }
                done += n
            }
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return try parse(received)
    }

    static func parse(_ data: Data) throws -> Reply {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure(description: "no HTTP answer: \(String(decoding: data, as: UTF8.self))")
        }
        let lines = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "status line: \(lines[0])")
        }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Data(data[end.upperBound...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased() == "chunked" }) {
            body = dechunk(body)
        }
        return Reply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var rest = data[...]
        while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";")[0], radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size else { break }
            let stop = rest.index(start, offsetBy: size)
            out.append(rest[start..<stop])
            rest = rest[rest.index(stop, offsetBy: min(2, rest.distance(from: stop, to: rest.endIndex)))...]
        }
        return out
    }
}

extension LiveServer {
    /// A raw request (see `RawHTTP`) with `who`'s bearer token, if any.
    func raw(
        _ method: String, _ path: String, as who: String? = nil, headers: [(String, String)] = [], body: Data = Data()
    ) throws -> RawHTTP.Reply {
        var all = headers
        if let who, let token = tokens[who] { all.append(("Authorization", "Bearer \(token)")) }
        return try RawHTTP.send(method, path, port: port, headers: all, body: body)
    }

    /// Gives an account a password, as a redeemed invite would: a bcrypt hash (`$2b$`, cost 4 to
    /// keep the test fast) written into `accounts.sqlite`.
    func setPassword(_ name: String, _ password: String) throws {
        let script = "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"
        let hashed = try Run.command("/usr/bin/env", ["python3", "-W", "ignore", "-c", script, password])
        let hash = hashed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hashed.status == 0, hash.hasPrefix("$2") else { throw Failure("bcrypt: \(hashed.stderr)") }
        try sqlite(home + "/accounts.sqlite", "UPDATE account SET passwordHash = '\(hash)' WHERE name = '\(name)'")
    }

    /// Adds a token for `name` straight into the store, expiring at `expiresAt`; returns the token.
    func insertToken(_ name: String, expiresAt: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token =
            "pod_"
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let summed = try Run.command("/bin/sh", ["-c", "printf '%s' \"$0\" | sha256sum", token])
        let digest = String(summed.stdout.prefix(64))
        try sqlite(
            home + "/accounts.sqlite",
            "INSERT INTO secret (sha256, kind, name, createdAt, expiresAt, label) VALUES ('\(digest)', 'token', "
                + "'\(name)', '2019-12-01T00:00:00.000Z', '\(expiresAt)', 'web session')")
        return token
    }

    func sqlite(_ database: String, _ sql: String) throws {
        let r = try Run.command("/usr/bin/sqlite3", [database, sql])
        guard r.status == 0 else { throw Failure("sqlite3 \(sql): \(r.stderr)") }
    }

    /// What `podium serve` printed so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits for `id` to be scored (as the instructor sees it), or fails the test.
    func scored(_ id: String, as who: String) async throws {
        let done = try await final(id, as: who)
        #expect(done.json?["status"] as? String == "scored", "\(id): \(done.text)")
    }
}

/// The security headers of DESIGN §7, on one answer.
func expectSecurityHeaders(_ what: String, status: Int, header: (String) -> String?) {
    let policy = header("Content-Security-Policy") ?? ""
    #expect(
        policy.hasPrefix("default-src 'self'") && policy.contains("frame-ancestors 'none'"),
        "\(what) (\(status)): Content-Security-Policy is '\(policy)'")
    #expect(header("X-Content-Type-Options") == "nosniff", "\(what) (\(status)): X-Content-Type-Options")
    #expect(header("Referrer-Policy") == "same-origin", "\(what) (\(status)): Referrer-Policy")
}
