import Foundation
import Testing

/// `podium` in remote mode without a server: what is refused before a request, and exit 4 when
/// nothing answers.
@Suite final class RemoteModeTests {
    let config: String
    let unreachable: String

    init() throws {
        config = try temporaryFolder("config")
        unreachable = "http://127.0.0.1:\(closedPort())"
    }

    deinit { try? FileManager.default.removeItem(atPath: config) }

    var environment: [String: String] {
        ["XDG_CONFIG_HOME": config, "PODIUM_SERVER": unreachable, "PODIUM_TOKEN": "pod_x"]
    }

    @Test func anUnreachableServerExits4NamingItAndLogin() throws {
        for arguments in [
            ["challenges"], ["info", "flights"], ["leaderboard", "flights"],
            ["download", "flights", "-o", config + "/d"],
        ] {
            let result = try run(arguments, environment: environment)
            #expect(result.status == 4, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(unreachable) && result.stderr.contains("podium login"))
        }
        let json = try run(["challenges", "--json"], environment: environment)
        #expect(json.status == 4)
        #expect(json.stdout.contains(#""code":"unreachable""#))
    }

    @Test func aServerWithoutATokenExits4() throws {
        let result = try run(["challenges"], environment: ["XDG_CONFIG_HOME": config, "PODIUM_SERVER": unreachable])
        #expect(result.status == 4)
        #expect(result.stderr.contains("podium login --server \(unreachable)"))
    }

    @Test func homeForcesLocalMode() throws {
        let home = try temporaryFolder("home")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let result = try run(["challenges", "--home", home], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no challenge is published in \(home)"))
        // Without a server, a local submit still needs --as.
        let submit = try run(["submit", "flights", "p.csv", "--home", home], environment: environment)
        #expect(submit.status == 2)
        #expect(submit.stderr.contains("--as is required"))
    }

    @Test func asIsRefusedRemotely() throws {
        for arguments in [["challenges", "--as", "alice"], ["submit", "flights", "p.csv", "--as", "alice"]] {
            let result = try run(arguments, environment: environment)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("--as is for a local home"))
        }
    }

    @Test func loginToAnUnreachableServerExits4AndWritesNothing() throws {
        let result = try run(
            ["login", "--server", unreachable, "--name", "alice"], environment: ["XDG_CONFIG_HOME": config],
            input: "a password\n")
        #expect(result.status == 4, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: config + "/podium/credentials.json"))
        let bad = try run(["login", "--server", "ftp://x", "--name", "a"], environment: ["XDG_CONFIG_HOME": config])
        #expect(bad.status == 2)
    }

    @Test func logoutRemovesTheFileEvenWhenTheServerIsUnreachable() throws {
        let setup = try run(
            ["login", "--server", unreachable, "--token", "pod_x"], environment: ["XDG_CONFIG_HOME": config])
        #expect(setup.status == 4)
        // Written by hand, as a login that once succeeded left it.
        try FileManager.default.createDirectory(atPath: config + "/podium", withIntermediateDirectories: true)
        try Data(#"{"server":"\#(unreachable)","name":"alice","token":"pod_secret_token"}"#.utf8).write(
            to: URL(fileURLWithPath: config + "/podium/credentials.json"))
        let result = try run(["logout"], environment: ["XDG_CONFIG_HOME": config])
        #expect(result.status == 4)
        #expect(result.stderr.contains("could not revoke") && result.stderr.contains("removed"))
        #expect(!result.stderr.contains("pod_secret_token") && !result.stdout.contains("pod_secret_token"))
        #expect(!FileManager.default.fileExists(atPath: config + "/podium/credentials.json"))
        let again = try run(["logout"], environment: ["XDG_CONFIG_HOME": config])
        #expect(again.status == 0 && again.stdout.contains("not signed in"))
    }

    /// A server that takes the upload and closes the connection without answering (it died after
    /// the commit, or a proxy dropped the answer): the student is told to look before resending.
    @Test func aLostAnswerToAnUploadSaysToLookBeforeSendingAgain() throws {
        let script = """
            import http.server, json, socket
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = json.dumps({"id": "flights", "title": "F", "task": "binary", "metric": "auc",
                        "higher_is_better": True, "state": "open", "version": 1, "per_day": 5, "final": 2,
                        "kinds": ["predictions"]}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def do_POST(self):
                    self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                def log_message(self, *a):
                    pass
            s = http.server.HTTPServer(("127.0.0.1", 0), H)
            s.timeout = 30
            print(s.server_address[1], flush=True)
            s.handle_request()
            s.handle_request()
            """
        let portFile = config + "/port"
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/bin/sh")
        server.arguments = ["-c", "exec /usr/bin/python3 -c \"$0\" > \"$1\"", script, portFile]
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL) }
        var port: Int? = nil
        for _ in 0..<100 where port == nil {
            usleep(50_000)
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        let bound = try #require(port)
        let file = config + "/p.csv"
        try "id,prediction\n1,0.5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try run(
            ["submit", "flights", file],
            environment: [
                "XDG_CONFIG_HOME": config, "PODIUM_SERVER": "http://127.0.0.1:\(bound)", "PODIUM_TOKEN": "pod_x",
            ])
        #expect(result.status == 4, "\(result.stderr)")
        #expect(
            result.stderr.contains("podium submissions flights shows it before you send it again"), "\(result.stderr)")
    }
}
