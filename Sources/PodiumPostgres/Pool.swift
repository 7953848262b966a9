import Foundation
import Logging
import NIOCore
import NIOPosix
import PodiumDomain
import PostgresNIO

/// A few connections to one PostgreSQL database, used from synchronous code: the ports are
/// synchronous (the use cases run on their own threads, issue 11), so each query waits for its
/// EventLoopFuture on the calling thread, never on Swift's cooperative pool (on 2 cores two
/// blocked threads would starve it). A connection the server closed (a restart) is dropped and
/// a new one opened; a store that cannot be reached is `store_unavailable`, and the caller's
/// loop (a worker, the sweep) tries again later.
public final class Pool: @unchecked Sendable {
    public let url: StoreURL
    let maximum: Int
    let logger: Logger
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 1
    private var closed = false

    public init(_ url: StoreURL, maximum: Int = 8) {
        self.url = url
        self.maximum = max(1, maximum)
        var logger = Logger(label: "podium.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit {
        for c in idle { try? c.close().wait() }
    }

    /// Runs `body` on a connection of the pool.
    @discardableResult
    public func withConnection<T>(_ body: (Connection) throws(JudgeError) -> T) throws(JudgeError) -> T {
        let raw = try checkout()
        var healthy = true
        defer { checkin(raw, healthy: healthy) }
        do {
            return try body(Connection(raw: raw, logger: logger, url: url))
        } catch {
            healthy = !raw.isClosed && error.code != .storeUnavailable
            throw error
        }
    }

    /// Runs `body` in one transaction (`READ COMMITTED`), rolled back when it throws.
    @discardableResult
    public func transaction<T>(_ body: (Connection) throws(JudgeError) -> T) throws(JudgeError) -> T {
        try withConnection { (c: Connection) throws(JudgeError) -> T in
            try c.execute("BEGIN")
            do throws(JudgeError) {
                let result = try body(c)
                try c.execute("COMMIT")
                return result
            } catch {
                _ = try? c.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// A connection of its own, outside the pool (a listener), closed by the caller.
    public func dedicated() throws(JudgeError) -> PostgresConnection {
        try connect(
            id: condition.withLock { () -> Int in
                nextID += 1
                return nextID
            })
    }

    /// Closes the idle connections; those in use close when returned.
    public func close() {
        let connections = condition.withLock { () -> [PostgresConnection] in
            closed = true
            defer { idle = [] }
            return idle
        }
        for c in connections { try? c.close().wait() }
    }

    private func checkout() throws(JudgeError) -> PostgresConnection {
        condition.lock()
        while true {
            while let c = idle.popLast() {
                if !c.isClosed {
                    condition.unlock()
                    return c
                }
                open -= 1
            }
            if open < maximum {
                open += 1
                nextID += 1
                let id = nextID
                condition.unlock()
                do {
                    return try connect(id: id)
                } catch {
                    condition.withLock {
                        open -= 1
                        condition.signal()
                    }
                    throw error
                }
            }
            condition.wait()
        }
    }

    private func checkin(_ connection: PostgresConnection, healthy: Bool) {
        let keep = healthy && !connection.isClosed
        let discard = condition.withLock { () -> Bool in
            defer { condition.signal() }
            if keep && !closed {
                idle.append(connection)
                return false
            }
            open -= 1
            return true
        }
        if discard { try? connection.close().wait() }
    }

    private func connect(id: Int) throws(JudgeError) -> PostgresConnection {
        let future = PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: url.configuration, id: id, logger: logger)
        do { return try future.wait() } catch {
            throw Connection.failure(error, "cannot connect to \(url.redacted)")
        }
    }
}

/// One connection borrowed from the pool: queries with bound values, errors as codes.
public struct Connection {
    public let raw: PostgresConnection
    let logger: Logger
    let url: StoreURL

    /// Runs a statement; returns the number of rows it changed (0 for others).
    @discardableResult
    public func execute(_ query: PostgresQuery) throws(JudgeError) -> Int {
        try run(query).metadata.rows ?? 0
    }

    /// Runs a query and returns its rows.
    public func rows(_ query: PostgresQuery) throws(JudgeError) -> [PostgresRow] {
        try run(query).rows
    }

    /// How long a statement may go unanswered before its connection is given up.
    static let answerSeconds: Int64 = 30

    /// Runs a query, waiting at most `answerSeconds` for its answer: a connection that went
    /// silent (seen once when the server stopped under a query: the future never completed) is
    /// closed and the query fails with `store_unavailable`, so no worker ever hangs on it.
    func run(_ query: PostgresQuery) throws(JudgeError) -> PostgresQueryResult {
        do {
            return try Self.bounded(raw.query(query, logger: logger), on: raw, seconds: Self.answerSeconds)
        } catch {
            throw Self.failure(error, "the store \(url.redacted) failed")
        }
    }

    /// Waits for `future` at most `seconds`; past that, closes `connection` and fails.
    static func bounded<T: Sendable>(_ future: EventLoopFuture<T>, on connection: PostgresConnection, seconds: Int64)
        throws -> T
    {
        let promise = connection.eventLoop.makePromise(of: T.self)
        future.cascade(to: promise)
        // Both run on the connection's event loop: whichever comes second does nothing.
        let timer = connection.eventLoop.scheduleTask(in: .seconds(seconds)) {
            promise.fail(Unanswered(seconds: seconds))
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in }
        }
        defer { timer.cancel() }
        return try promise.futureResult.wait()
    }

    /// No answer in time.
    struct Unanswered: Error, CustomStringConvertible {
        var seconds: Int64
        var description: String { "no answer in \(seconds) s; the connection was closed" }
    }

    /// A store failure: `store_unavailable` when the server cannot be reached or went away
    /// (the caller tries again later), a `unique_violation` as `already_exists`, else
    /// `database_error` with the server's message (never the query's values).
    static func failure(_ error: any Error, _ context: String) -> JudgeError {
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                let message = error.serverInfo?[.message] ?? "\(error.code)"
                // 57P01..03: the server shuts down or is starting; 08xxx: connection exceptions.
                if state.hasPrefix("57P") || state.hasPrefix("08") {
                    return JudgeError.store("store_unavailable", "\(context): \(message)")
                }
                if state == "23505" { return JudgeError(code: .alreadyExists, message: "\(context): \(message)") }
                return JudgeError.store("database_error", "\(context): \(message) (SQLSTATE \(state))")
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return JudgeError.store("store_unavailable", "\(context): the connection was lost (\(error.code))")
            default:
                return JudgeError.store("database_error", "\(context): \(error.code)")
            }
        }
        if let error = error as? JudgeError { return error }
        if let error = error as? Unanswered {
            return JudgeError.store("store_unavailable", "\(context): \(error.description)")
        }
        // Connecting: refused, no such socket, a timeout.
        return JudgeError.store("store_unavailable", "\(context): \(error)")
    }
}

extension PostgresRow {
    /// The row's columns as a tuple, a decoding failure as `database_error`.
    public func values<each Column: PostgresDecodable>(_ type: (repeat each Column).Type) throws(JudgeError) -> (
        repeat each Column
    ) {
        do { return try decode(type) } catch {
            throw JudgeError.store(
                "database_error", "cannot read a stored row: \(String(describing: error).prefix(300))")
        }
    }

    /// One column's value.
    public func value<Column: PostgresDecodable>(_ type: Column.Type) throws(JudgeError) -> Column {
        do { return try decode(type) } catch {
            throw JudgeError.store(
                "database_error", "cannot read a stored value: \(String(describing: error).prefix(300))")
        }
    }
}

extension Pool {
    /// Creates a database on this pool's server (a name of lower-case letters, digits and `_`).
    public func createDatabase(_ name: String) throws(JudgeError) {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw JudgeError(code: .usage, message: "not a database name: \(name)")
        }
        try withConnection { (c: Connection) throws(JudgeError) in
            try c.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
    }
}

/// A row's cells read one after another, each decoded as a concrete type (faster than the
/// tuple decoding of `values` on the hot paths: 20,000 board rows).
public struct RowReader {
    var cells: PostgresRow.Iterator

    public init(_ row: PostgresRow) { cells = row.makeIterator() }

    public mutating func next<T: PostgresDecodable>(_ type: T.Type) throws(JudgeError) -> T {
        guard let cell = cells.next() else {
            throw JudgeError.store("database_error", "a stored row has fewer columns than the store reads")
        }
        do { return try cell.decode(T.self) } catch {
            throw JudgeError.store(
                "database_error", "cannot read a stored value: \(String(describing: error).prefix(300))")
        }
    }
}

extension Array where Element == PostgresRow {
    /// Each row decoded by `body`, in order; a large result is decoded on two threads (decoding,
    /// not the database, is most of a 20,000-row board read).
    func decoded<T: Sendable>(_ body: @Sendable (PostgresRow) throws(JudgeError) -> T) throws(JudgeError) -> [T] {
        guard count >= 4096 else {
            var out: [T] = []
            out.reserveCapacity(count)
            for row in self { out.append(try body(row)) }
            return out
        }
        let parts = 2
        let size = (count + parts - 1) / parts
        var halves = [[T]](repeating: [], count: parts)
        let failures = [JudgeError?](repeating: nil, count: parts)
        var failuresCopy = failures
        halves.withUnsafeMutableBufferPointer { buffer in
            failuresCopy.withUnsafeMutableBufferPointer { errors in
                nonisolated(unsafe) let output = buffer
                nonisolated(unsafe) let problems = errors
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    var local: [T] = []
                    local.reserveCapacity(size)
                    do throws(JudgeError) {
                        for row in self[(part * size)..<Swift.min(count, (part + 1) * size)] {
                            local.append(try body(row))
                        }
                    } catch {
                        problems[part] = error
                    }
                    output[part] = local
                }
            }
        }
        if let failure = failuresCopy.compactMap({ $0 }).first { throw failure }
        return halves.flatMap { $0 }
    }
}
