import Foundation
import Testing

/// A client on another address than the server's own: a network namespace this test makes
/// (a veth pair on private addresses), removed at the end.
@Suite("Requests from another address", .serialized)
struct RemoteAddressTests {
    @Test func metricsAnswerOnlyTheServersOwnMachine() async throws {
        guard getuid() == 0,
            FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
                || FileManager.default.isExecutableFile(atPath: "/sbin/ip")
        else {
            Issue.record("needs root and iproute2 (ip) to make a network namespace")
            return
        }
        let s = try LiveServer()
        defer { s.remove() }
        let tag = String(UInt16.random(in: 1000...60000))
        let namespace = "podium-test-\(tag)"
        let (host, peer) = ("veth-ph\(tag)", "veth-pp\(tag)")
        let third = Int.random(in: 1...250)
        let (hostAddress, peerAddress) = ("10.231.\(third).1", "10.231.\(third).2")
        func sh(_ line: String) throws -> Run { try Run.command("/bin/sh", ["-c", line]) }
        defer { _ = try? sh("ip netns del \(namespace) 2>/dev/null; ip link del \(host) 2>/dev/null") }
        let setup = try sh(
            """
            set -e
            ip netns add \(namespace)
            ip link add \(host) type veth peer name \(peer)
            ip link set \(peer) netns \(namespace)
            ip addr add \(hostAddress)/30 dev \(host)
            ip link set \(host) up
            ip netns exec \(namespace) ip addr add \(peerAddress)/30 dev \(peer)
            ip netns exec \(namespace) ip link set \(peer) up
            """)
        #expect(setup.status == 0, "\(setup.stderr)")
        try s.start(["--host", "0.0.0.0", "--rate-limit", "5"])
        let url = "http://\(hostAddress):\(s.port)"
        let health = try sh("ip netns exec \(namespace) curl -sS -m 5 \(url)/healthz")
        #expect(health.stdout == "ok", "\(health.stdout) \(health.stderr)")
        let metrics = try sh("ip netns exec \(namespace) curl -sS -m 5 -o /dev/null -w '%{http_code}' \(url)/metrics")
        #expect(metrics.stdout == "404", "\(metrics.stdout) \(metrics.stderr)")
        // From the server's own machine it answers.
        let local = try sh("curl -sS -m 5 http://127.0.0.1:\(s.port)/metrics")
        #expect(local.stdout.contains("podium_queue_depth"))
        // Without a token the rate limit is per address: this address is cut off, loopback is not.
        var codes: [String] = []
        for _ in 1...7 {
            codes.append(
                try sh("ip netns exec \(namespace) curl -sS -m 5 -o /dev/null -w '%{http_code}' \(url)/api/v1/me")
                    .stdout)
        }
        // (Seven within one minute window, or the window turned between two of them: either way 429 appears.)
        #expect(codes.contains("429"), "\(codes)")
        let mine = try sh("curl -sS -m 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:\(s.port)/api/v1/me")
        #expect(mine.stdout == "401")
    }
}
