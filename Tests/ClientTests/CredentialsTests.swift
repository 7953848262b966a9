import Foundation
import PodiumDomain
import Testing

@testable import PodiumClient

@Suite struct CredentialsTests {
    @Test func savedFileIs0600InA0700Folder() throws {
        let config = try temporaryFolder("config")
        defer { try? FileManager.default.removeItem(atPath: config) }
        let file = CredentialsFile(environment: ["XDG_CONFIG_HOME": config])
        let stored = Credentials(server: "http://127.0.0.1:8080", name: "alice", token: "pod_secret")
        try file.save(stored)
        #expect(file.path == config + "/podium/credentials.json")
        #expect(mode(file.path) == 0o600)
        #expect(mode(config + "/podium") == 0o700)
        #expect(try file.load() == stored)
        // Written again: replaced whole, no temporary file left behind.
        try file.save(Credentials(server: "http://127.0.0.1:8080", name: "alice", token: "pod_other"))
        #expect(try file.load()?.token == "pod_other")
        #expect(try FileManager.default.contentsOfDirectory(atPath: config + "/podium") == ["credentials.json"])
        #expect(try file.remove())
        #expect(try file.remove() == false)
        #expect(try file.load() == nil)
    }

    @Test func anOpenFolderIsNarrowedTo0700() throws {
        let config = try temporaryFolder("config")
        defer { try? FileManager.default.removeItem(atPath: config) }
        try FileManager.default.createDirectory(
            atPath: config + "/podium", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try CredentialsFile(environment: ["XDG_CONFIG_HOME": config]).save(
            Credentials(server: "http://h", name: "a", token: "t"))
        #expect(mode(config + "/podium") == 0o700)
    }

    @Test func defaultsToTheHomeConfigFolder() {
        #expect(
            CredentialsFile(environment: ["HOME": "/home/alice"]).path == "/home/alice/.config/podium/credentials.json")
    }

    @Test func theEnvironmentOverridesTheFile() throws {
        let config = try temporaryFolder("config")
        defer { try? FileManager.default.removeItem(atPath: config) }
        try CredentialsFile(environment: ["XDG_CONFIG_HOME": config]).save(
            Credentials(server: "http://127.0.0.1:8080", name: "alice", token: "pod_file"))
        let file = ["XDG_CONFIG_HOME": config]
        #expect(
            try Remote.configured(environment: file)
                == Remote(server: "http://127.0.0.1:8080", token: "pod_file", name: "alice"))
        #expect(
            try Remote.configured(environment: file.merging(["PODIUM_TOKEN": "pod_env"]) { $1 })?.token == "pod_env")
        // Another server: the file's token is not sent to it.
        let other = try Remote.configured(environment: file.merging(["PODIUM_SERVER": "http://127.0.0.2:9000/"]) { $1 })
        #expect(other?.server == "http://127.0.0.2:9000")
        #expect(other?.token == nil)
        #expect(try Remote.configured(environment: ["XDG_CONFIG_HOME": config + "/none"]) == nil)
        let error = #expect(throws: JudgeError.self) {
            try Remote.configured(environment: ["XDG_CONFIG_HOME": config, "PODIUM_SERVER": "ftp://x"])
        }
        #expect(error?.code == .usage)
    }
}
