import Foundation
import PodiumDomain
import PodiumPostgres

/// Which store the use-case tests run on: `PODIUM_TEST_BACKEND=postgres` runs every one of them
/// on PostgreSQL (scripts/test.sh runs the suite twice, once per store), so the two adapters
/// cannot drift apart.
enum StoreKind: String {
    case sqlite, postgres

    static let current: StoreKind =
        ProcessInfo.processInfo.environment["PODIUM_TEST_BACKEND"] == "postgres" ? .postgres : .sqlite
}

/// A real PostgreSQL 15 for the tests: the server `$PODIUM_TEST_STORE` names (scripts/test.sh
/// starts one), else one this process starts with scripts/pg-cluster.sh in a temporary folder
/// and stops when it exits. Each test gets a database of its own.
enum TestPostgres {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    nonisolated(unsafe) static var startedFolder: String?

    static let server: String = {
        if let url = ProcessInfo.processInfo.environment["PODIUM_TEST_STORE"], !url.isEmpty { return url }
        let folder = NSTemporaryDirectory() + "podium-pg-" + UUID().uuidString.prefix(8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [package + "/scripts/pg-cluster.sh", "start", folder]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        startedFolder = folder
        atexit {
            guard let folder = TestPostgres.startedFolder else { return }
            let stop = Process()
            stop.executableURL = URL(fileURLWithPath: "/bin/bash")
            stop.arguments = [TestPostgres.package + "/scripts/pg-cluster.sh", "stop", folder]
            try? stop.run()
            stop.waitUntilExit()
            try? FileManager.default.removeItem(atPath: folder)
        }
        return output.split(separator: "\n").last.map(String.init) ?? ""
    }()

    /// A new, empty database on the test server; its URL.
    static func freshDatabase() throws(JudgeError) -> String {
        let base = try StoreURL(server)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let pool = Pool(base, maximum: 1)
        defer { pool.close() }
        try pool.createDatabase(name)
        return base.with(database: name).text
    }
}
