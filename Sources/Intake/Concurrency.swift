import Dispatch

/// Runs `body(i)` for every `i` in `0..<count` on all cores; bodies write disjoint memory.
@inline(__always)
func forEachConcurrently(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count > 1 {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    } else if count == 1 {
        body(0)
    }
}
