import Dispatch

/// Runs `body(i)` for every `i` in `0..<count`, on all cores when `parallel` is true.
///
/// Work items must write to disjoint memory; the call returns when all have finished.
@inlinable
public func forEachConcurrently(_ count: Int, parallel: Bool = true, _ body: @Sendable (Int) -> Void) {
    if parallel && count > 1 {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    } else {
        for i in 0..<count { body(i) }
    }
}

/// Inputs at least this large are worth splitting across cores.
public let parallelThreshold = 200_000
