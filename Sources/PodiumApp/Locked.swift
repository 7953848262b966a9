import Foundation

/// A value shared by threads, read and written only under its lock (like NIO's
/// `NIOLockedValueBox`): the one way use cases share mutable state.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
