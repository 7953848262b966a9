import Foundation

/// Phase timings on stderr when `PODIUM_TRACE` is set, for profiling; silent otherwise.
public enum Trace {
    static let enabled = ProcessInfo.processInfo.environment["PODIUM_TRACE"] != nil
    nonisolated(unsafe) static var last = DispatchTime.now().uptimeNanoseconds

    /// Starts the clock.
    public static func start() { last = DispatchTime.now().uptimeNanoseconds }

    /// Runs `body` and, when tracing, prints its own duration (safe from any thread: it does
    /// not move the shared clock).
    public static func timed<T>(_ phase: String, _ body: () -> T) -> T {
        guard enabled else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        FileHandle.standardError.write("trace:   \(phase) \(elapsed) ms (in a lane)\n".data(using: .utf8)!)
        return result
    }

    public static func mark(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let memory = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }
            .map { $0.replacingOccurrences(of: "\t", with: "").replacingOccurrences(of: "  ", with: "") }.joined(separator: " ")
        FileHandle.standardError.write("trace: \(phase) \((Double(now) - Double(last)) / 1e6) ms \(memory)\n".data(using: .utf8)!)
        last = now
    }
}
