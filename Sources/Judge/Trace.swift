import Foundation

/// Phase timings on stderr when `PODIUM_TRACE` is set, for profiling; silent otherwise.
public enum Trace {
    static let enabled = ProcessInfo.processInfo.environment["PODIUM_TRACE"] != nil
    nonisolated(unsafe) static var last = DispatchTime.now().uptimeNanoseconds

    /// Starts the clock.
    public static func start() { last = DispatchTime.now().uptimeNanoseconds }

    static func mark(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let memory = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }
            .map { $0.replacingOccurrences(of: "\t", with: "").replacingOccurrences(of: "  ", with: "") }.joined(separator: " ")
        FileHandle.standardError.write("trace: \(phase) \((Double(now) - Double(last)) / 1e6) ms \(memory)\n".data(using: .utf8)!)
        last = now
    }
}
