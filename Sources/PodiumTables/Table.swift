/// A whole CSV file as typed columns, for the dataset checks: a column whose every non-empty
/// value is a number is numeric (NaN where empty or NA-like), any other is text.
public struct Table: Sendable {
    public enum Column: Sendable {
        case numbers([Double])
        case text(TextColumn)
    }

    public let names: [String]
    public let columns: [Column]
    public let rows: Int
    /// Each row's fields, as raw bytes spans; `nil` for numeric columns read without them.
    let cells: [IdColumn?]

    public func column(_ name: String) -> Column? {
        names.firstIndex(of: name).map { columns[$0] }
    }

    /// The raw bytes of a cell.
    public func cell(_ row: Int, _ column: Int) -> UnsafeBufferPointer<UInt8> { cells[column]!.bytes(row) }

    /// Whether the raw bytes of a column's cells were kept.
    public func hasCells(_ column: Int) -> Bool { cells[column] != nil }

    /// Reads a whole file. With `keep`, the raw cells of a column are kept only when it is
    /// named there (text columns are then read through their codes and values): 8 bytes a cell
    /// saved on wide files, and large unquoted files take the fast path.
    public static func read(
        _ buffer: InputBytes, file: String, keep: Set<String>? = nil, reading: Reading = .standard
    ) throws(IntakeError) -> Table {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        let width = header.names.count
        if let fast = FastTable.read(buffer, from: reader.position, names: header.names, keep: keep, reading: reading) {
            return Table(names: header.names, columns: fast.columns, rows: fast.rows, cells: fast.cells)
        }
        var cells = (0..<width).map { _ in IdColumn(buffer: buffer) }
        var rows = 0
        while try reader.next() {
            try reader.requireWidth(header)
            for k in 0..<width {
                try cells[k].append(reader.fields[k], of: reader, row: reader.row, column: header.names[k])
            }
            rows += 1
        }
        var columns: [Column] = []
        var kept: [IdColumn?] = []
        for k in 0..<width {
            var numbers = [Double](repeating: .nan, count: rows)
            var numeric = true
            for r in 0..<rows {
                switch NumberParser.parse(cells[k].bytes(r)) {
                case .value(let v): numbers[r] = v
                case .empty: break
                case .nonFinite, .nonNumeric:
                    numeric = false
                }
                if !numeric { break }
            }
            columns.append(numeric ? .numbers(numbers) : .text(TextColumn(ids: cells[k])))
            kept.append(keep == nil || keep!.contains(header.names[k]) ? cells[k] : nil)
            cells[k] = IdColumn(buffer: buffer)  // released as soon as it is classified
        }
        return Table(names: header.names, columns: columns, rows: rows, cells: kept)
    }
}

/// A text column: values as small integer codes (equal text, equal code; empty = -1), and the
/// distinct texts.
public struct TextColumn: Sendable {
    public let codes: [Int32]
    public let values: [String]

    /// Codes by a stable hash of each cell's bytes (confirmed on the bytes): a `String` is
    /// made once per distinct value, not once per cell. Empty and NA-like cells are −1.
    init(ids: IdColumn) {
        var index: [UInt64: (code: Int32, row: Int32)] = [:]
        var collisions: [String: Int32] = [:]
        var codes = [Int32](repeating: -1, count: ids.count)
        var values: [String] = []
        func newCode(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            if NumberParser.parse(bytes) == .empty { return -1 }
            values.append(String(decoding: bytes, as: UTF8.self))
            return Int32(values.count - 1)
        }
        for r in 0..<ids.count {
            let bytes = ids.bytes(r)
            if bytes.isEmpty { continue }
            let h = stableHash(bytes)
            if let entry = index[h] {
                if equalBytes(ids.bytes(Int(entry.row)), bytes) {
                    codes[r] = entry.code
                } else {
                    // Two values with one hash: rare enough for a dictionary of strings.
                    let text = String(decoding: bytes, as: UTF8.self)
                    if let k = collisions[text] {
                        codes[r] = k
                    } else {
                        let k = newCode(bytes)
                        collisions[text] = k
                        codes[r] = k
                    }
                }
            } else {
                let k = newCode(bytes)
                index[h] = (k, Int32(r))
                codes[r] = k
            }
        }
        self.codes = codes
        self.values = values
    }
}

extension TextColumn {
    /// A text column from strings.
    public init(strings: [String]) {
        var index: [String: Int32] = [:]
        var values: [String] = []
        codes = strings.map { s in
            if s.isEmpty { return -1 }
            if let k = index[s] { return k }
            let k = Int32(values.count)
            index[s] = k
            values.append(s)
            return k
        }
        self.values = values
    }
}
