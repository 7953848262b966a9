import Foundation
import Testing

/// How bytes reach the server: HTTPS when it holds a certificate, uploads streamed to disk.
@Suite("TLS and streamed uploads", .serialized)
struct TransportTests {
    @Test func theServerSpeaksTLSWithItsCertificate() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        let token = try s.account("alice")
        let made = try Run.command(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-keyout", s.root + "/key.pem", "-out", s.root + "/cert.pem",
            ])
        #expect(made.status == 0, "\(made.stderr)")
        try s.start(["--tls-cert", s.root + "/cert.pem", "--tls-key", s.root + "/key.pem"], scheme: "https")
        let https = try Run.command(
            "/usr/bin/curl",
            [
                "-sS", "--cacert", s.root + "/cert.pem", "-H", "Authorization: Bearer \(token)",
                "https://127.0.0.1:\(s.port)/api/v1/me",
            ])
        #expect(https.status == 0 && https.stdout.contains("\"name\":\"alice\""), "\(https.stdout) \(https.stderr)")
        // Plain HTTP to the TLS port gets no answer a client could take for a page.
        let plain = try Run.command("/usr/bin/curl", ["-sS", "-m", "5", "http://127.0.0.1:\(s.port)/healthz"])
        #expect(plain.stdout != "ok")
    }

    @Test func aLargeUploadIsStreamedNotHeldInMemory() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        let token = try s.account("alice")
        try s.start(["--workers", "1"])
        let pid = s.process!.processIdentifier
        let before = try peakKiB(pid)
        // 150 MB: a header the scorer refuses at once, then filler.
        let path = s.root + "/large.csv"
        #expect(
            try Run.command(
                "/bin/sh", ["-c", "{ echo 'nope'; head -c 157286400 /dev/zero | tr '\\\\0' 'x'; } > '\(path)'"]
            ).status == 0)
        let upload = try Run.command(
            "/usr/bin/curl",
            [
                "-sS", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@" + path, "http://127.0.0.1:\(s.port)/api/v1/challenges/arena/submissions",
            ])
        #expect(upload.stdout.contains("\"status\":\"queued\""), "\(upload.stdout) \(upload.stderr)")
        let done = try await s.final("arena-1", as: "alice")
        #expect(done.json?["status"] as? String == "rejected", "\(done.text.prefix(300))")
        let after = try peakKiB(pid)
        // The file is 150 MB; the server's peak grew by far less (chunks of the body, the hash).
        #expect(after - before < 60 * 1024, "peak grew by \((after - before) / 1024) MiB")
    }

    /// VmHWM: the process's peak resident memory.
    func peakKiB(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
