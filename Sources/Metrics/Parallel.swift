import Dispatch

/// Runs `body(i)` for every `i` in `0..<count`, on all cores when `parallel` is true.
///
/// Work items must write to disjoint memory; the call returns when all have finished.
@inlinable
public func forEachConcurrently(_ count: Int, parallel: Bool = true, _ body: @Sendable (Int) -> Void) {
    if parallel && count > 1 && !ParallelWork.serial {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    } else {
        for i in 0..<count { body(i) }
    }
}

/// Inputs at least this large are worth splitting across cores.
public let parallelThreshold = 200_000

/// `(0..<count).map(body)` with the calls spread over all cores. Results are written through
/// raw memory, never through a shared `Array` (whose copy-on-write checks would race).
public func concurrentMap<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
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

/// A process-wide switch for callers that already keep every core busy (`podium rescore
/// --jobs N` runs N evaluations at once, each then best run on one core); Intake's readers
/// and the metric kernels both honour it.
public enum ParallelWork {
    nonisolated(unsafe) public static var serial = false
}
