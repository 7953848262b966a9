import Foundation

/// What a `podium` run printed and how it ended.
struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// The `podium` executable built beside the tests.
let podium: String = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("podium").path
    let built = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/podium").path
    return FileManager.default.isExecutableFile(atPath: beside) ? beside : built
}()

/// Runs `executable` with `arguments`, `environment` over a clean one (no server configured
/// from the developer's own files), `input` on stdin; output captured in files.
func run(
    _ arguments: [String], environment: [String: String], input: String? = nil, executable: String = podium,
    directory: String? = nil
) throws -> Run {
    let dir = NSTemporaryDirectory() + "podium-client-run-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for name in ["out", "err", "in"] { _ = FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: nil) }
    try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: dir + "/in"))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for key in ["PODIUM_SERVER", "PODIUM_TOKEN", "PODIUM_HOME", "XDG_CONFIG_HOME"] { env[key] = nil }
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: dir + "/in"))
    try process.run()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus,
        stdout: (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")
}

/// A new empty folder.
func temporaryFolder(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "podium-client-\(label)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A loopback port nothing listens on: bound, read, closed.
func closedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The mode bits of a path.
func mode(_ path: String) -> Int {
    var info = stat()
    return lstat(path, &info) == 0 ? Int(info.st_mode & 0o777) : -1
}
