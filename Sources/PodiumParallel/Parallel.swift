import Dispatch

/// Runs `body(i)` for every `i` in `0..<count`, spread over the lanes `parallelism` allows.
///
/// Work items must write to disjoint memory; the call returns when all have finished.
@inlinable
public func forEachConcurrently(_ count: Int, _ parallelism: Parallelism, _ body: @Sendable (Int) -> Void) {
    if parallelism.isParallel && count > 1 {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    } else {
        for i in 0..<count { body(i) }
    }
}

/// Inputs at least this large are worth splitting across cores.
public let parallelThreshold = 200_000

/// `(0..<count).map(body)` with the calls spread over all cores. Results are written through
/// raw memory, never through a shared `Array` (whose copy-on-write checks would race).
public func concurrentMap<T>(_ count: Int, _ parallelism: Parallelism, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let storage = UnsafeMutablePointer<T>.allocate(capacity: count)
    defer { storage.deallocate() }
    nonisolated(unsafe) let slots = storage
    forEachConcurrently(count, parallelism) { i in (slots + i).initialize(to: body(i)) }
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        buffer.baseAddress?.moveInitialize(from: storage, count: count)
        initialized = count
    }
}

/// How many cores a piece of work may use, passed down from the caller (a re-score running
/// N evaluations at once gives each `.serial`); never a process-wide switch.
public struct Parallelism: Sendable, Equatable {
    /// At most this many items run at once; 1 runs everything on the calling thread.
    public var lanes: Int

    public init(lanes: Int) { self.lanes = max(1, lanes) }

    /// Every core.
    public static let allCores = Parallelism(lanes: Int.max)
    /// The calling thread only.
    public static let serial = Parallelism(lanes: 1)

    /// Whether work may be spread at all.
    @inlinable public var isParallel: Bool { lanes > 1 }
}
