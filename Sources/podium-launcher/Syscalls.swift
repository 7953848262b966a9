import Glibc

/// A failed step of the set-up: the launcher reports it as `sandbox_error`, never as the
/// bundle's fault.
struct SetupError: Error {
    let step: String
    let code: Int32
    var description: String { "\(step): \(String(cString: strerror(code)))" }
}

/// Runs a call that returns -1 and sets errno on failure, retrying EINTR.
@discardableResult
func check(_ step: String, _ call: () -> Int32) throws(SetupError) -> Int32 {
    while true {
        let r = call()
        if r >= 0 { return r }
        if errno == EINTR { continue }
        throw SetupError(step: step, code: errno)
    }
}

/// Writes a whole string to a file (for /proc and cgroup control files).
func writeFile(_ path: String, _ text: String) throws(SetupError) {
    let fd = try check("open \(path)") { open(path, O_WRONLY | O_CLOEXEC) }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    if n != bytes.count { throw SetupError(step: "write \(path)", code: errno) }
}

func readFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        out.append(contentsOf: buffer[0..<n])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Writes to fd 2 (the launcher's own diagnostics; never mixed with the bundle's output).
func diagnose(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
