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
    /// The queries' key table (the queries compacted into one arena, so that a file whose
    /// queries are not grouped, which looks one up per row, stays in cache).
    let queryTable: KeyTable

    public var count: Int { queries.count }

    /// The bytes of judged item `k` (query `q`'s are `itemStart[q] ..< itemStart[q + 1]`).
    public func item(_ k: Int) -> UnsafeBufferPointer<UInt8> { items.bytes(k) }

    /// The judged relevances of query `q`, highest first.
    public func ideal(_ q: Int) -> [Int32] {
        relevance[itemStart[q]..<itemStart[q + 1]].sorted(by: >)
    }

    public static func read(
        _ buffer: InputBytes, query: String, item: String, relevance: String, file: String = "solution.csv",
        reading: Reading = .standard
    ) throws(IntakeError) -> RankingSolution {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        let qc = try header.require(query)
        let ic = try header.require(item)
        let rc = try header.require(relevance)
        let uc = try header.requireUsage()
        if let fast = try readFast(
            buffer, from: reader.position, width: header.names.count, columns: [qc, ic, rc, uc], item: item,
            reading: reading)
        {
            return fast
        }
        var queries = IdColumn(buffer: buffer)
        var index = IdIndex(capacity: 8)
        var usage: [Usage] = []
        var rowQuery: [Int32] = []
        var items = IdColumn(buffer: buffer)
        var rel: [Int32] = []
        var lines: [Int32] = []
        var lastQuery = -1
        var lastKey = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        while try reader.next() {
            try reader.requireWidth(header)
            try reader.requireId(qc, header)
            try reader.requireId(ic, header)
            let v = try reader.number(rc, header)
            guard v >= 0, v == v.rounded(), v < 1_000_000 else {
                throw IntakeError(
                    .unknownLabel,
                    "relevance must be a non-negative integer, not '\(reader.quoted(reader.fields[rc]))'",
                    row: reader.row, column: relevance)
            }
            guard let u = Usage.parse(reader.raw(reader.fields[uc])) else {
                throw IntakeError(
                    .unknownLabel, "Usage must be Public, Private or Ignored", row: reader.row, column: header.names[uc]
                )
            }
            let key =
                reader.fields[qc].escaped
                ? EscapedIds.intern(reader.bytes(of: reader.fields[qc])) : reader.raw(reader.fields[qc])
            // Rows of one query usually follow each other: skip the lookup then.
            var q = lastQuery >= 0 && equalBytes(lastKey, key) ? lastQuery : index.find(key, in: queries)
            if q == nil {
                try queries.append(reader.fields[qc], of: reader, row: reader.row, column: query)
                index.insertGrowing(queries.count - 1, in: queries)
                usage.append(u)
                q = queries.count - 1
            } else if usage[q!] != u {
                throw IntakeError(
                    .unknownLabel,
                    "the query '\(IntakeError.quote(queries.string(q!)))' has rows with different Usage; Usage is "
                        + "per query",
                    row: reader.row, column: header.names[uc])
            }
            lastQuery = q!
            lastKey = key
            rowQuery.append(Int32(q!))
            try items.append(reader.fields[ic], of: reader, row: reader.row, column: item)
            rel.append(Int32(v))
            lines.append(Int32(truncatingIfNeeded: reader.row))
        }
        guard queries.count > 0 else { throw IntakeError(.emptyFile, "the \(file) has a header but no rows") }
        guard
            let solution = try assemble(
                queries, index, usage, rowQuery, items, rel, lines: lines, item: item, reading: reading)
        else {
            throw IntakeError(.emptyFile, "unreachable")
        }
        return solution
    }

    /// Groups the judged items by query (a stable counting sort) and refuses an item judged
    /// twice for one query — with its row when `lines` are known, else `nil` (to re-read).
    static func assemble(
        _ queries: IdColumn, _ index: IdIndex, _ usage: [Usage], _ rowQuery: [Int32], _ items: IdColumn, _ rel: [Int32],
        lines: [Int32]?, item: String, reading: Reading
    ) throws(IntakeError) -> RankingSolution? {
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
                guard let lines else { return nil }
                throw IntakeError(
                    .duplicateItem,
                    "the item '\(IntakeError.quote(grouped.string(i)))' is judged twice for the query "
                        + "'\(IntakeError.quote(queries.string(q)))'",
                    row: Int(lines[Int(order[i])]), column: item)
            }
        }
        let compact = queries.compacted()
        let (mode, keys) = IdKey.keys(compact, reading.parallelism)
        return RankingSolution(
            queries: compact, usage: usage, itemStart: start, items: grouped, relevance: groupedRel,
            queryTable: KeyTable.build(keys, mode: mode, ids: compact, parallelism: reading.parallelism).0)
    }

    /// One pass over an unquoted solution without the general reader; `nil` at anything
    /// unexpected, and the general reader then finds the exact error.
    static func readFast(
        _ buffer: InputBytes, from: Int, width: Int, columns: [Int], item: String, reading: Reading
    ) throws(IntakeError) -> RankingSolution? {
        let bytes = buffer.bytes
        guard bytes.count >= reading.fastPathMinimumBytes else { return nil }
        let base = bytes.baseAddress!
        var queries = IdColumn(buffer: buffer)
        var index = IdIndex(capacity: 8)
        var usage: [Usage] = []
        var rowQuery: [Int32] = []
        var items = IdColumn(buffer: buffer)
        var rel: [Int32] = []
        var lastQuery = -1
        var lastKey = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        let ok = FastScan.forEachLine(bytes, from..<bytes.count, width: width, columns: columns) { f in
            let key = UnsafeBufferPointer(start: base + f[0], count: f[1] - f[0])
            let itemLength = f[3] - f[2]
            guard key.count > 0, key.count <= IdColumn.maxLength, itemLength > 0, itemLength <= IdColumn.maxLength
            else { return false }
            // Relevance: a small non-negative integer.
            var r: Int32 = 0
            guard f[5] > f[4], f[5] - f[4] <= 6 else { return false }
            for p in f[4]..<f[5] {
                let d = base[p] &- 48
                guard d < 10 else { return false }
                r = r * 10 + Int32(d)
            }
            guard let u = Usage.parse(UnsafeBufferPointer(start: base + f[6], count: f[7] - f[6])) else { return false }
            var q: Int
            if lastQuery >= 0 && equalBytes(lastKey, key) {
                q = lastQuery
            } else if let found = index.find(key, in: queries) {
                q = found
            } else {
                queries.appendSpan(offset: f[0], length: key.count)
                index.insertGrowing(queries.count - 1, in: queries)
                usage.append(u)
                q = queries.count - 1
            }
            guard usage[q] == u else { return false }
            lastQuery = q
            lastKey = key
            rowQuery.append(Int32(q))
            items.appendSpan(offset: f[2], length: itemLength)
            rel.append(r)
            return true
        }
        guard ok, queries.count > 0 else { return nil }
        return try assemble(queries, index, usage, rowQuery, items, rel, lines: nil, item: item, reading: reading)
    }

    /// The query index of submitted query bytes, if the solution has it.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        queries.view { queryTable.find(key, $0) }
    }

    /// The query index of submitted query bytes, within `queries.view`.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, _ view: IdView) -> Int? {
        queryTable.find(key, view)
    }
}
