import Foundation
import Synchronization

/// Phase timings on stderr, for profiling: off unless the composition root turns them on
/// (`podium` does when `PODIUM_TRACE` is set).
public enum Trace {
    private static let on = Atomic<Bool>(false)
    private static let last = Atomic<UInt64>(DispatchTime.now().uptimeNanoseconds)

    static var enabled: Bool { on.load(ordering: .relaxed) }

    /// Turns the timings on.
    public static func enable() { on.store(true, ordering: .relaxed) }

    /// Starts the clock.
    public static func start() { last.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }

    /// Runs `body` and, when tracing, prints its own duration (safe from any thread: it does
    /// not move the shared clock).
    public static func timed<T>(_ phase: String, _ body: () -> T) -> T {
        guard enabled else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        FileHandle.standardError.write(Data("trace:   \(phase) \(elapsed) ms (in a lane)\n".utf8))
        return result
    }

    public static func mark(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let memory = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }
            .map { $0.replacingOccurrences(of: "\t", with: "").replacingOccurrences(of: "  ", with: "") }.joined(
                separator: " ")
        let previous = last.exchange(now, ordering: .relaxed)
        FileHandle.standardError.write(
            Data("trace: \(phase) \((Double(now) - Double(previous)) / 1e6) ms \(memory)\n".utf8))
    }
}
