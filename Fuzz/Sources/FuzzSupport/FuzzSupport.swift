import PodiumTables

#if canImport(Glibc)
import Glibc
#endif

/// Stops the fuzzer with a message; libFuzzer keeps the input as a reproducer (`crash-…`).
public func fail(_ message: String) -> Never {
    let line = Array("FUZZ FAILURE: \(message)\n".utf8)
    _ = line.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// Fails unless `condition` holds.
public func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

/// The input as bytes.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// An intake refusal as what must match across paths: code, row, column, and missing ids.
public func summary(_ error: IntakeError) -> String {
    var text = "\(error.code) row \(error.row.map(String.init) ?? "-") column \(error.column ?? "-")"
    if let count = error.count { text += " count \(count) ids \(error.ids ?? [])" }
    return text
}

/// Runs `body` with the fast paths off (the general reader only), then on for every size.
public func bothPaths<T>(_ body: (Reading) throws(IntakeError) -> T) -> (
    general: Result<T, IntakeError>, fast: Result<T, IntakeError>
) {
    let general = Result { () throws(IntakeError) -> T in try body(Reading(fastPathMinimumBytes: Int.max)) }
    let fast = Result { () throws(IntakeError) -> T in try body(Reading(fastPathMinimumBytes: 0)) }
    return (general, fast)
}

/// Fails when one path refused and the other did not, or they refused differently; the
/// values of two successes are returned for the caller to compare.
public func agree<T>(_ results: (general: Result<T, IntakeError>, fast: Result<T, IntakeError>), _ what: String) -> (
    T, T
)? {
    switch results {
    case (.success(let g), .success(let f)): return (g, f)
    case (.failure(let g), .failure(let f)):
        check(
            summary(g) == summary(f),
            "\(what): the general reader refused with \(summary(g)), the fast path with \(summary(f))")
        return nil
    case (.failure(let g), .success): fail("\(what): the general reader refused with \(g), the fast path accepted")
    case (.success, .failure(let f)): fail("\(what): the general reader accepted, the fast path refused with \(f)")
    }
}

/// Two doubles are the same value: equal bit patterns, or both NaN.
public func same(_ a: Double, _ b: Double) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}

/// libFuzzer's driver (in the runtime `-sanitize=fuzzer` links).
@_silgen_name("LLVMFuzzerRunDriver")
func libFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer on `test` with the process's arguments, from a target's `main.swift`: the
/// package manager gives every executable its own entry point, so libFuzzer's `main` is not used.
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(libFuzzerRunDriver(&argc, &argv, test))
}
