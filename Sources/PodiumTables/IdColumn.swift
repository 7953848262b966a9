/// A column of ids as byte ranges of the file they came from: no `String` per id.
///
/// Ids whose quoted text held `""` escapes are unescaped into a side arena.
public struct IdColumn: @unchecked Sendable {
    let buffer: InputBytes
    /// offset (43 bits) | length (20 bits) | arena flag (top bit).
    private(set) var spans: [UInt64] = []
    private var arena: [UInt8] = []

    static let lengthBits: UInt64 = 20
    static let maxLength = (1 << 20) - 1

    init(buffer: InputBytes, capacity: Int = 0) {
        self.buffer = buffer
        spans.reserveCapacity(capacity)
    }

    init(buffer: InputBytes, spans: [UInt64]) {
        self.buffer = buffer
        self.spans = spans
    }

    /// A column whose bytes all live in its own arena (`spans` carry the arena flag).
    init(buffer: InputBytes, spans: [UInt64], arena: [UInt8]) {
        self.buffer = buffer
        self.spans = spans
        self.arena = arena
    }

    /// The span of `length` bytes at `offset` of a column's own arena.
    @inline(__always)
    static func arenaSpan(_ offset: Int, _ length: Int) -> UInt64 {
        (1 << 63) | (UInt64(offset) << lengthBits) | UInt64(length)
    }

    public var count: Int { spans.count }

    /// Appends a field of `reader`, unescaping when needed.
    @inline(__always)
    mutating func append(_ field: Field, of reader: CSVReader, row: Int, column: String) throws(IntakeError) {
        guard field.count <= IdColumn.maxLength else {
            throw IntakeError(.malformedCSV, "an id longer than 1 MB", row: row, column: column)
        }
        if field.escaped {
            let value = reader.bytes(of: field)
            spans.append((1 << 63) | (UInt64(arena.count) << IdColumn.lengthBits) | UInt64(value.count))
            arena.append(contentsOf: value)
        } else {
            spans.append((UInt64(field.start) << IdColumn.lengthBits) | UInt64(field.count))
        }
    }

    /// Appends a plain (unescaped) field by its place in the buffer.
    @inline(__always)
    mutating func appendSpan(offset: Int, length: Int) {
        spans.append((UInt64(offset) << IdColumn.lengthBits) | UInt64(length))
    }

    /// The bytes of id `i`; valid while the column is alive and unmodified.
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let span = spans[i]
        let length = Int(span & UInt64(IdColumn.maxLength))
        let offset = Int((span & ~(1 << 63)) >> IdColumn.lengthBits)
        if span & (1 << 63) != 0 {
            return arena.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[offset..<offset + length]) }
        }
        return UnsafeBufferPointer(rebasing: buffer.bytes[offset..<offset + length])
    }

    /// Calls `body` with a view whose `bytes(i)` needs no reference counting: for hot loops.
    func withView<R>(_ body: (IdView) throws(IntakeError) -> R) throws(IntakeError) -> R {
        try spans.withUnsafeBufferPointer { (s) throws(IntakeError) -> R in
            try arena.withUnsafeBufferPointer { (a) throws(IntakeError) -> R in
                try body(
                    IdView(
                        spans: s.baseAddress!, base: buffer.bytes.baseAddress ?? a.baseAddress!, arena: a.baseAddress))
            }
        }
    }

    /// Calls `body` with a view of the ids for hot loops (no reference counting per id).
    func view<R>(_ body: (IdView) -> R) -> R {
        spans.withUnsafeBufferPointer { s in
            arena.withUnsafeBufferPointer { a in
                let none = UnsafePointer<UInt8>(bitPattern: 1)!
                return body(
                    IdView(
                        spans: s.baseAddress ?? UnsafePointer(bitPattern: 8)!, base: buffer.bytes.baseAddress ?? none,
                        arena: a.baseAddress))
            }
        }
    }

    /// Id `i` as text, for messages.
    public func string(_ i: Int) -> String {
        String(decoding: bytes(i), as: UTF8.self)
    }
}

/// An open-addressing hash index from id bytes to their position in an `IdColumn`.
struct IdIndex {
    private var slots: [Int32]
    private var tags: [UInt32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        tags = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Builds the index of a column; returns the first repeated id's positions if any.
    static func build(_ column: IdColumn) -> (IdIndex, duplicate: (first: Int, second: Int)?) {
        var index = IdIndex(capacity: column.count)
        for i in 0..<column.count {
            if let earlier = index.insert(i, column.bytes(i), in: column) {
                return (index, (earlier, i))
            }
        }
        return (index, nil)
    }

    private var filled = 0

    /// Appends position `i` (which must be new), doubling the table when it is half full.
    mutating func insertGrowing(_ i: Int, in column: IdColumn) {
        if (filled + 1) * 2 > slots.count {
            var bigger = IdIndex(capacity: slots.count)
            for v in slots where v >= 0 { _ = bigger.insert(Int(v), column.bytes(Int(v)), in: column) }
            self = bigger
        }
        _ = insert(i, column.bytes(i), in: column)
    }

    /// Inserts position `i`; returns the earlier position if the id is already present.
    mutating func insert(_ i: Int, _ key: UnsafeBufferPointer<UInt8>, in column: IdColumn) -> Int? {
        let h = stableHash(key)
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[s]
            if v < 0 {
                slots[s] = Int32(i)
                tags[s] = tag
                filled += 1
                return nil
            }
            if tags[s] == tag && equalBytes(column.bytes(Int(v)), key) { return Int(v) }
            s = (s + 1) & mask
        }
    }

    /// The position of `key` in `column`, if present.
    func find(_ key: UnsafeBufferPointer<UInt8>, in column: IdColumn) -> Int? {
        let h = stableHash(key)
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[s]
            if v < 0 { return nil }
            if tags[s] == tag && equalBytes(column.bytes(Int(v)), key) { return Int(v) }
            s = (s + 1) & mask
        }
    }
}

extension IdColumn {
    /// The same ids copied into one compact arena: lookups that verify bytes then stay in
    /// cache instead of reaching into a large file (for small columns, such as queries).
    func compacted() -> IdColumn {
        var arena: [UInt8] = []
        var spans: [UInt64] = []
        spans.reserveCapacity(count)
        for i in 0..<count {
            let b = bytes(i)
            spans.append(IdColumn.arenaSpan(arena.count, b.count))
            arena.append(contentsOf: b)
        }
        return IdColumn(buffer: buffer, spans: spans, arena: arena)
    }

    /// The same ids in another order.
    func reordered(_ order: [Int32]) -> IdColumn {
        var out = self
        out.spans = order.map { spans[Int($0)] }
        return out
    }
}

/// Raw access to an `IdColumn`'s ids, valid inside `IdColumn.withView`.
struct IdView: @unchecked Sendable {
    let spans: UnsafePointer<UInt64>
    let base: UnsafePointer<UInt8>
    let arena: UnsafePointer<UInt8>?

    @inline(__always)
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> { bytes(span: spans[i]) }

    /// The bytes of an id by its span (`spans[i]`).
    @inline(__always)
    func bytes(span: UInt64) -> UnsafeBufferPointer<UInt8> {
        let length = Int(span & UInt64(IdColumn.maxLength))
        let offset = Int((span & ~(1 << 63)) >> IdColumn.lengthBits)
        if span & (1 << 63) != 0 { return UnsafeBufferPointer(start: arena! + offset, count: length) }
        return UnsafeBufferPointer(start: base + offset, count: length)
    }
}
