import Foundation
import Intake

/// The per-row keys of `duplicate_rows` and `near_duplicate_rows`: a stable 64-bit hash (fixed
/// seed) of the chosen cells, exact bytes (numeric columns: exact values) or — near — numbers
/// rounded to 6 significant digits
/// and text with ASCII case folded and runs of spaces and tabs collapsed; and the equality
/// check that confirms a hash match.
struct RowKeys {
    var near: Bool

    func hashes(_ table: Table, _ columns: [Int]) -> [UInt64] {
        var out = [UInt64](repeating: 0x243F_6A88_85A3_08D3, count: table.rows)
        var scratch: [UInt8] = []
        for c in columns {
            for r in 0..<table.rows {
                let cell = cellHash(table, r, c, &scratch)
                out[r] = (out[r] ^ cell) &* 0x9E37_79B9_7F4A_7C15
            }
        }
        return out
    }

    func cellHash(_ table: Table, _ r: Int, _ c: Int, _ scratch: inout [UInt8]) -> UInt64 {
        guard near else {
            // Numeric columns compare by value (1.0 equals 1.00; their bytes are not kept).
            return isNumbers(table, c) ? numberHash(table, r, c, round: false) : stableHash(table.cell(r, c))
        }
        switch value(table, r, c) {
        case .number(let v):
            return Self.hash(v)
        case .text:
            Self.normalise(table.cell(r, c), into: &scratch)
            return scratch.withUnsafeBufferPointer { stableHash($0, seed: 2) }
        }
    }

    func equal(_ a: Table, _ r: Int, _ c: Int, _ b: Table, _ s: Int, _ d: Int) -> Bool {
        guard near else {
            switch (a.columns[c], b.columns[d]) {
            case (.numbers(let x), .numbers(let y)): return x[r] == y[s] || (x[r].isNaN && y[s].isNaN)
            case (.text, .text): return equalBytes(a.cell(r, c), b.cell(s, d))
            default: return false
            }
        }
        switch (value(a, r, c), value(b, s, d)) {
        case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.text, .text):
            var p: [UInt8] = [], q: [UInt8] = []
            Self.normalise(a.cell(r, c), into: &p)
            Self.normalise(b.cell(s, d), into: &q)
            return p == q
        default: return false
        }
    }

    func isNumbers(_ table: Table, _ c: Int) -> Bool {
        if case .numbers = table.columns[c] { return true }
        return false
    }

    func numberHash(_ table: Table, _ r: Int, _ c: Int, round: Bool) -> UInt64 {
        guard case .numbers(let v) = table.columns[c] else { return 0 }
        return Self.hash(round ? Self.round6(v[r]) : v[r])
    }

    static func hash(_ v: Double) -> UInt64 {
        var bits = v.isNaN ? UInt64.max : (v == 0 ? 0 : v.bitPattern)
        return withUnsafeBytes(of: &bits) { stableHash($0.bindMemory(to: UInt8.self), seed: 1) }
    }

    enum Value {
        case number(Double)
        case text
    }

    func value(_ table: Table, _ r: Int, _ c: Int) -> Value {
        if case .numbers(let v) = table.columns[c] { return .number(Self.round6(v[r])) }
        if case .value(let v) = NumberParser.parse(table.cell(r, c)) { return .number(Self.round6(v)) }
        return .text
    }

    /// 10^k for k in −330 … 310, at index k + 330.
    static let powers: [Double] = (-330...310).map { pow(10, Double($0)) }

    /// `v` rounded to 6 significant digits.
    static func round6(_ v: Double) -> Double {
        guard v.isFinite, v != 0 else { return v }
        let magnitude = abs(v)
        if magnitude < 1e6 && magnitude == magnitude.rounded() { return v }
        // The decimal exponent from the binary one, corrected against the table.
        var e = Int((Double(magnitude.exponent) * 0.301_029_995_663_981_2).rounded(.down))
        if magnitude >= powers[e + 331] { e += 1 }
        if magnitude < powers[e + 330] { e -= 1 }
        let digits = 5 - e
        if digits >= 0 && digits <= 22 { return (v * powers[digits + 330]).rounded() / powers[digits + 330] }
        if digits < 0 && digits >= -22 { return (v / powers[-digits + 330]).rounded() * powers[-digits + 330] }
        let scale = pow(10, Double(digits))
        return (v * scale).rounded() / scale
    }

    /// ASCII letters lower-cased, leading and trailing blanks dropped, inner runs of spaces
    /// and tabs made one space.
    static func normalise(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var pendingSpace = false
        for b in bytes {
            if b == 0x20 || b == 0x09 {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
        }
    }
}
