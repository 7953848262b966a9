/// The values of one key column of a file (`test.csv`'s ids, `teams.csv`'s members), for the
/// consistency checks of `podium publish`.
public struct KeyColumn: Sendable {
    let ids: IdColumn
    let index: IdIndex
    /// The 1-based line of each distinct key's first row.
    let lines: [Int32]

    public var count: Int { ids.count }

    /// Key `i` as text.
    public func string(_ i: Int) -> String { ids.string(i) }

    /// Reads `column` of a CSV; with `unique`, a repeated key is `duplicate_id`, otherwise keys
    /// are collected once each, in order of first appearance.
    public static func read(_ buffer: InputBytes, column: String, file: String, unique: Bool) throws(IntakeError)
        -> KeyColumn
    {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        let k = try header.require(column)
        var ids = IdColumn(buffer: buffer)
        var index = IdIndex(capacity: 8)
        var lines: [Int32] = []
        while try reader.next() {
            try reader.requireWidth(header)
            try reader.requireId(k, header)
            let key = idBytes(reader, k)
            if let earlier = index.find(key, in: ids) {
                if unique {
                    throw IntakeError(
                        .duplicateID,
                        "the \(file) lists '\(IntakeError.quote(bytes: ids.bytes(earlier)))' twice (rows "
                            + "\(lines[earlier]) and \(reader.row))",
                        row: reader.row, column: column)
                }
                continue
            }
            try ids.append(reader.fields[k], of: reader, row: reader.row, column: column)
            index.insertGrowing(ids.count - 1, in: ids)
            lines.append(Int32(truncatingIfNeeded: reader.row))
        }
        return KeyColumn(ids: ids, index: index, lines: lines)
    }

    /// Compares with the solution's keys: how many of them this column lacks and how many it
    /// has that the solution does not, with the first few of each (as messages quote them).
    public func compare(withSolution solution: Solution) -> (
        missing: [String], missingCount: Int, extra: [String], extraCount: Int
    ) {
        compare(solution.ids)
    }

    public func compare(withQueries solution: RankingSolution) -> (
        missing: [String], missingCount: Int, extra: [String], extraCount: Int
    ) {
        compare(solution.queries)
    }

    func compare(_ other: IdColumn) -> (missing: [String], missingCount: Int, extra: [String], extraCount: Int) {
        var missing: [String] = []
        var extra: [String] = []
        var missingCount = 0
        var extraCount = 0
        for i in 0..<other.count where index.find(other.bytes(i), in: ids) == nil {
            missingCount += 1
            if missing.count < 5 { missing.append(IntakeError.quote(bytes: other.bytes(i))) }
        }
        let otherIndex = IdIndex.build(other).0
        for i in 0..<ids.count where otherIndex.find(ids.bytes(i), in: other) == nil {
            extraCount += 1
            if extra.count < 5 { extra.append(IntakeError.quote(bytes: ids.bytes(i))) }
        }
        return (missing, missingCount, extra, extraCount)
    }

    /// The value of another column for each row, keyed by this column (for `teams.csv`).
    public static func pairs(_ buffer: InputBytes, key: String, value: String, file: String) throws(IntakeError) -> [(
        String, String
    )] {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        let k = try header.require(key)
        let v = try header.require(value)
        var out: [(String, String)] = []
        var seen: Set<String> = []
        while try reader.next() {
            try reader.requireWidth(header)
            try reader.requireId(k, header)
            try reader.requireId(v, header)
            let member = reader.string(of: reader.fields[k])
            guard seen.insert(member).inserted else {
                throw IntakeError(
                    .duplicateID, "the \(file) lists '\(IntakeError.quote(member))' twice", row: reader.row, column: key
                )
            }
            out.append((member, reader.string(of: reader.fields[v])))
        }
        return out
    }
}
