import Dispatch

/// Runs `body(i)` for every `i` in `0..<count` on all cores; bodies write disjoint memory.
@inline(__always)
func forEachConcurrently(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count > 1 && !IntakeParallelism.serial {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    } else {
        for i in 0..<count { body(i) }
    }
}

/// `(0..<count).map(body)` on all cores, results written through raw memory (a shared
/// `Array` written from several threads would race in its copy-on-write checks).
func concurrentMap<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let storage = UnsafeMutablePointer<T>.allocate(capacity: count)
    defer { storage.deallocate() }
    nonisolated(unsafe) let slots = storage
    forEachConcurrently(count) { i in (slots + i).initialize(to: body(i)) }
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        buffer.baseAddress!.moveInitialize(from: storage, count: count)
        initialized = count
    }
}

/// When set, Intake reads files on one core (the caller runs several reads at once).
public enum IntakeParallelism {
    nonisolated(unsafe) public static var serial = false
}
