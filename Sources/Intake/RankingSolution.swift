/// A parsed ranking `solution.csv`: `query_id,item_id,relevance,Usage`, `Usage` per query.
public struct RankingSolution: Sendable {
    /// The queries, in order of first appearance.
    public let queries: IdColumn
    public let usage: [Usage]
    /// Query `q`'s judged items are `items[itemStart[q] ..< itemStart[q + 1]]`.
    public let itemStart: [Int]
    let items: IdColumn
    /// The relevance of each judged item (aligned with `items`).
    public let relevance: [Int32]
    let queryIndex: IdIndex

    public var count: Int { queries.count }

    /// The judged relevances of query `q`, highest first.
    public func ideal(_ q: Int) -> [Int32] {
        relevance[itemStart[q]..<itemStart[q + 1]].sorted(by: >)
    }

    public static func read(
        _ buffer: ByteBuffer, query: String, item: String, relevance: String, file: String = "solution.csv"
    ) throws(IntakeError) -> RankingSolution {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        let qc = try header.require(query)
        let ic = try header.require(item)
        let rc = try header.require(relevance)
        let uc = try header.require(header.names.contains("Usage") ? "Usage" : (header.names.first { $0.lowercased() == "usage" } ?? "Usage"))
        var queries = IdColumn(buffer: buffer)
        var index = IdIndex(capacity: 8)
        var usage: [Usage] = []
        var rowQuery: [Int32] = []
        var items = IdColumn(buffer: buffer)
        var rel: [Int32] = []
        var lines: [Int32] = []
        while try reader.next() {
            try reader.requireWidth(header)
            try reader.requireId(qc, header)
            try reader.requireId(ic, header)
            let v = try reader.number(rc, header)
            guard v >= 0, v == v.rounded(), v < 1_000_000 else {
                throw IntakeError(.unknownLabel, "relevance must be a non-negative integer, not \(reader.string(of: reader.fields[rc]))", row: reader.row, column: relevance)
            }
            guard let u = Usage.parse(reader.raw(reader.fields[uc])) else {
                throw IntakeError(.unknownLabel, "Usage must be Public, Private or Ignored", row: reader.row, column: header.names[uc])
            }
            let key = reader.fields[qc].escaped ? EscapedIds.intern(reader.bytes(of: reader.fields[qc])) : reader.raw(reader.fields[qc])
            var q = index.find(key, in: queries)
            if q == nil {
                try queries.append(reader.fields[qc], of: reader, row: reader.row, column: query)
                index.insertGrowing(queries.count - 1, in: queries)
                usage.append(u)
                q = queries.count - 1
            } else if usage[q!] != u {
                throw IntakeError(.unknownLabel, "the query '\(queries.string(q!))' has rows with different Usage; Usage is per query", row: reader.row, column: header.names[uc])
            }
            rowQuery.append(Int32(q!))
            try items.append(reader.fields[ic], of: reader, row: reader.row, column: item)
            rel.append(Int32(v))
            lines.append(Int32(truncatingIfNeeded: reader.row))
        }
        guard queries.count > 0 else { throw IntakeError(.emptyFile, "the \(file) has a header but no rows") }
        // Group the judged items by query (a stable counting sort).
        var start = [Int](repeating: 0, count: queries.count + 1)
        for q in rowQuery { start[Int(q) + 1] += 1 }
        for q in 0..<queries.count { start[q + 1] += start[q] }
        var next = start
        var order = [Int32](repeating: 0, count: rowQuery.count)
        for (r, q) in rowQuery.enumerated() {
            order[next[Int(q)]] = Int32(r)
            next[Int(q)] += 1
        }
        let grouped = items.reordered(order)
        let groupedRel = order.map { rel[Int($0)] }
        // No item may be judged twice for one query.
        let table = ItemTable()
        for q in 0..<queries.count {
            table.reset(for: start[q + 1] - start[q])
            for i in start[q]..<start[q + 1] where !table.addJudged(grouped.bytes(i), relevance: 0) {
                throw IntakeError(.duplicateItem, "the item '\(grouped.string(i))' is judged twice for the query '\(queries.string(q))'", row: Int(lines[Int(order[i])]), column: item)
            }
        }
        return RankingSolution(queries: queries, usage: usage, itemStart: start, items: grouped, relevance: groupedRel, queryIndex: index)
    }

    /// The query index of submitted query bytes, if the solution has it.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        queryIndex.find(key, in: queries)
    }
}
