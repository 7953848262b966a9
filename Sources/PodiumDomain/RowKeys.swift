import Foundation
import PodiumTables

/// The per-row keys of `duplicate_rows` and `near_duplicate_rows`: a stable 64-bit hash (fixed
/// seed) of the chosen cells — text by its value, numbers by their exact value, or, near,
/// numbers rounded to 6 significant digits (text that reads as a number counts as that number)
/// and text with ASCII case folded and runs of spaces and tabs made one — and the equality
/// check that confirms a hash match. Text is keyed once per distinct value, through its codes.
struct RowKeys {
    var near: Bool

    /// A cell's comparable form.
    enum Key: Equatable {
        case missing
        case number(Double)
        case text([UInt8])
    }

    /// One column's keys: numbers per row, text per code.
    struct ColumnKeys {
        var numbers: [Double]? = nil
        /// Numbers are rounded to 6 significant digits as they are read (no rounded copy).
        var round = false
        var codes: [Int32] = []
        var byCode: [Key] = []
        var hashByCode: [UInt64] = []

        func key(_ r: Int) -> Key {
            if let numbers {
                return numbers[r].isNaN ? .missing : .number(round ? RowKeys.round6(numbers[r]) : numbers[r])
            }
            return codes[r] < 0 ? .missing : byCode[Int(codes[r])]
        }

        func hash(_ r: Int) -> UInt64 {
            if let numbers { return RowKeys.hash(round ? RowKeys.round6(numbers[r]) : numbers[r]) }
            return codes[r] < 0 ? RowKeys.hash(.nan) : hashByCode[Int(codes[r])]
        }
    }

    func keys(_ table: Table, _ c: Int) -> ColumnKeys {
        switch table.columns[c] {
        case .numbers(let v):
            return ColumnKeys(numbers: v, round: near)
        case .text(let t):
            var out = ColumnKeys(codes: t.codes)
            var scratch: [UInt8] = []
            for value in t.values {
                let bytes = Array(value.utf8)
                var key: Key = .text(bytes)
                if near {
                    if case .value(let v) = bytes.withUnsafeBufferPointer({ NumberParser.parse($0) }) {
                        key = .number(Self.round6(v))
                    } else {
                        bytes.withUnsafeBufferPointer { Self.normalise($0, into: &scratch) }
                        key = .text(scratch)
                    }
                }
                out.byCode.append(key)
                switch key {
                case .number(let v): out.hashByCode.append(Self.hash(v))
                case .text(let bytes): out.hashByCode.append(bytes.withUnsafeBufferPointer { stableHash($0, seed: 2) })
                case .missing: out.hashByCode.append(Self.hash(.nan))
                }
            }
            return out
        }
    }

    /// Rows `range`'s hashes over the chosen columns, column by column.
    static func rowHashes(_ columns: [ColumnKeys], _ range: Range<Int>, into out: inout [UInt64]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: repeatElement(0x243F_6A88_85A3_08D3, count: range.count))
        let start = range.lowerBound
        for column in columns {
            for r in range { out[r - start] = (out[r - start] ^ column.hash(r)) &* 0x9E37_79B9_7F4A_7C15 }
        }
    }

    /// A number's stable hash (all NaNs alike, −0 = 0): SplitMix64's finaliser of its bits.
    @inline(__always)
    static func hash(_ v: Double) -> UInt64 {
        var z = (v.isNaN ? UInt64.max : (v == 0 ? 0 : v.bitPattern)) ^ 0x5851_F42D_4C95_7F2D
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
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

/// Rows by a 64-bit hash, several rows to a hash allowed: a dictionary to the newest row and a
/// link from each row to the previous one with the same hash.
struct HashChains {
    var head: [UInt64: Int32] = [:]
    var next: [Int32]

    init(_ rows: Int) {
        head.reserveCapacity(rows)
        next = [Int32](repeating: -1, count: rows)
    }

    mutating func insert(_ hash: UInt64, _ row: Int) {
        if let previous = head.updateValue(Int32(row), forKey: hash) { next[row] = previous }
    }

    func forEach(_ hash: UInt64, _ body: (Int) -> Void) {
        var j = head[hash] ?? -1
        while j >= 0 {
            body(Int(j))
            j = next[Int(j)]
        }
    }
}
