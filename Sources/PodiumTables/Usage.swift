/// Kaggle's `Usage` column: which leaderboard a solution row (or query) scores on.
public enum Usage: UInt8, Sendable {
    case `public` = 0
    case `private` = 1
    /// Decoy rows: they must be submitted, and are scored in neither split.
    case ignored = 2

    /// Parses `Public`, `Private` or `Ignored` (any letter case).
    @inline(__always)
    static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> Usage? {
        if matches(raw, "Public") { return .public }
        if matches(raw, "Private") { return .private }
        if matches(raw, "Ignored") { return .ignored }
        return nil
    }

    /// ASCII case-insensitive comparison with a static word.
    @inline(__always)
    static func matches(_ raw: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard raw.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<raw.count where raw[i] | 0x20 != w[i] | 0x20 { return false }
        return true
    }
}

/// Finds a class name among a few declared ones by comparing bytes.
struct ClassLookup {
    let names: [[UInt8]]

    init(_ classes: [String]) { names = classes.map { Array($0.utf8) } }

    @inline(__always)
    func index(of raw: UnsafeBufferPointer<UInt8>) -> Int32? {
        for (k, name) in names.enumerated() {
            if name.count == raw.count && name.withUnsafeBufferPointer({ equalBytes($0, raw) }) { return Int32(k) }
        }
        return nil
    }
}

extension CSVReader {
    /// Refuses a record whose field count differs from the header's.
    @inline(__always)
    func requireWidth(_ header: Header) throws(IntakeError) {
        if fieldCount != header.names.count {
            throw IntakeError(
                .raggedRow, "this row has \(fieldCount) fields, the header has \(header.names.count)", row: row)
        }
    }

    /// A number cell, refused with the DESIGN §3 code when it is not a finite number.
    @inline(__always)
    func number(_ k: Int, _ header: Header) throws(IntakeError) -> Double {
        let field = fields[k]
        switch NumberParser.parse(raw(field)) {
        case .value(let v): return v
        case .empty:
            throw IntakeError(.emptyValue, "the value is empty or missing", row: row, column: header.names[k])
        case .nonFinite:
            throw IntakeError(
                .nonFinite, "'\(quoted(field))' is not a finite number", row: row, column: header.names[k])
        case .nonNumeric:
            throw IntakeError(.nonNumeric, "'\(quoted(field))' is not a number", row: row, column: header.names[k])
        }
    }

    /// Refuses an empty id cell.
    @inline(__always)
    func requireId(_ k: Int, _ header: Header) throws(IntakeError) {
        if fields[k].count == 0 {
            throw IntakeError(.emptyValue, "the id is empty", row: row, column: header.names[k])
        }
    }
}
