/// A ranking submission resolved against its solution: for each solution query, the judged
/// relevance of the items it ranked, best first.
///
/// Query `q`'s ranked items occupy `relevance[ranked[q]]`. A repeated item keeps its slot and
/// scores 0. For long-form submissions `tieStart[i]` is 1 where a run of equal scores starts.
public struct RankingSubmission: Sendable {
    public var ranked: [Range<Int>]
    public var relevance: [Int32] = []
    public var tieStart: [UInt8]? = nil
    /// Solution queries with no submitted row (long form only; list form refuses them).
    public var unsubmitted: [Int] = []

    /// Reads a long-form (`query,item,score`) or list-form (`query,items`) submission.
    ///
    /// - Parameters:
    ///   - score: the score column name candidates, first present wins (long form).
    public static func read(
        _ buffer: ByteBuffer, solution: RankingSolution, query: String, item: String, scores: [String],
        file: String = "submission"
    ) throws(IntakeError) -> RankingSubmission {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        let qc = try header.require(query)
        if let lc = try header.optional("items") {
            return try readList(&reader, header, solution, qc, lc, query: query)
        }
        let ic = try header.require(item, purpose: " (a ranking submission is either query,item,score or query,items)")
        let scoreName = scores.first(where: header.names.contains) ?? scores[0]
        let sc = try header.require(scoreName)
        return try LongFormReader(solution: solution, header: header, qc: qc, ic: ic, sc: sc, names: (query, item))
            .read(&reader)
    }

    static func readList(
        _ reader: inout CSVReader, _ header: Header, _ solution: RankingSolution, _ qc: Int, _ lc: Int, query: String
    ) throws(IntakeError) -> RankingSubmission {
        var out = RankingSubmission(ranked: Array(repeating: 0..<0, count: solution.count))
        var seenRow = [Int32](repeating: 0, count: solution.count)
        var table = ItemTable()
        while try reader.next() {
            try reader.requireWidth(header)
            try reader.requireId(qc, header)
            let qf = reader.fields[qc]
            let key = qf.escaped ? EscapedIds.intern(reader.bytes(of: qf)) : reader.raw(qf)
            guard let q = solution.find(key) else {
                throw IntakeError(.unknownQuery, "the query '\(reader.string(of: qf).prefix(80))' is not in the solution", row: reader.row, column: query)
            }
            if seenRow[q] != 0 {
                throw IntakeError(.duplicateID, "the query '\(reader.string(of: qf).prefix(80))' appears twice (rows \(seenRow[q]) and \(reader.row))", row: reader.row, column: query)
            }
            seenRow[q] = Int32(truncatingIfNeeded: reader.row)
            let lf = reader.fields[lc]
            let list = lf.escaped ? EscapedIds.intern(reader.bytes(of: lf)) : reader.raw(lf)
            var tokens: [Range<Int>] = []
            var i = 0
            while i < list.count {
                while i < list.count && (list[i] == 32 || list[i] == 9 || list[i] == 10 || list[i] == 13) { i += 1 }
                let s = i
                while i < list.count && !(list[i] == 32 || list[i] == 9 || list[i] == 10 || list[i] == 13) { i += 1 }
                if i > s { tokens.append(s..<i) }
            }
            guard !tokens.isEmpty else {
                throw IntakeError(.emptyValue, "the list of items is empty", row: reader.row, column: header.names[lc])
            }
            let judged = solution.itemStart[q]..<solution.itemStart[q + 1]
            table.reset(for: judged.count + tokens.count)
            for j in judged { _ = table.addJudged(solution.items.bytes(j), relevance: solution.relevance[j]) }
            let start = out.relevance.count
            for t in tokens {
                out.relevance.append(table.rank(UnsafeBufferPointer(rebasing: list[t])) ?? 0)
            }
            out.ranked[q] = start..<out.relevance.count
        }
        let missing = (0..<solution.count).filter { seenRow[$0] == 0 }
        if !missing.isEmpty {
            var error = IntakeError(
                .missingID,
                "\(missing.count) quer\(missing.count == 1 ? "y is" : "ies are") missing from the submission, first: \(missing.prefix(5).map { solution.queries.string($0) }.joined(separator: ", "))",
                column: query)
            error.count = missing.count
            error.ids = missing.prefix(5).map { solution.queries.string($0) }
            throw error
        }
        return out
    }
}

/// Reads long-form rows one query group at a time while the file keeps each query's rows
/// together (the usual case, in bounded memory); otherwise it reads the file again and
/// groups all rows first.
struct LongFormReader {
    let solution: RankingSolution
    let header: Header
    let qc: Int, ic: Int, sc: Int
    let names: (query: String, item: String)

    struct Row {
        var key: UInt64  // sortableKey(score)
        var item: UnsafeBufferPointer<UInt8>
        var line: Int32
    }

    func read(_ reader: inout CSVReader) throws(IntakeError) -> RankingSubmission {
        var first = reader
        if let grouped = try readGrouped(&first) { return grouped }
        return try readScattered(&reader)
    }

    /// One pass, each query's rows contiguous; `nil` if a query comes back later.
    private func readGrouped(_ reader: inout CSVReader) throws(IntakeError) -> RankingSubmission? {
        var out = RankingSubmission(ranked: Array(repeating: 0..<0, count: solution.count), tieStart: [])
        var done = [Bool](repeating: false, count: solution.count)
        var current = -1
        var pending: [Row] = []
        var table = ItemTable()
        while try reader.next() {
            let (q, row) = try parse(reader)
            if q != current {
                if current >= 0 {
                    try rank(current, &pending, &table, &out)
                    done[current] = true
                }
                if done[q] { return nil }
                current = q
                pending.removeAll(keepingCapacity: true)
            }
            pending.append(row)
        }
        if current >= 0 {
            try rank(current, &pending, &table, &out)
            done[current] = true
        }
        out.unsubmitted = (0..<solution.count).filter { !done[$0] }
        return out
    }

    private func readScattered(_ reader: inout CSVReader) throws(IntakeError) -> RankingSubmission {
        var rows: [Row] = []
        var queries: [Int32] = []
        while try reader.next() {
            let (q, row) = try parse(reader)
            rows.append(row)
            queries.append(Int32(q))
        }
        var start = [Int](repeating: 0, count: solution.count + 1)
        for q in queries { start[Int(q) + 1] += 1 }
        for q in 0..<solution.count { start[q + 1] += start[q] }
        var next = start
        var grouped = rows
        for (r, q) in queries.enumerated() {
            grouped[next[Int(q)]] = rows[r]
            next[Int(q)] += 1
        }
        rows = []
        var out = RankingSubmission(ranked: Array(repeating: 0..<0, count: solution.count), tieStart: [])
        var table = ItemTable()
        var pending: [Row] = []
        for q in 0..<solution.count where start[q + 1] > start[q] {
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: grouped[start[q]..<start[q + 1]])
            try rank(q, &pending, &table, &out)
        }
        out.unsubmitted = (0..<solution.count).filter { start[$0 + 1] == start[$0] }
        return out
    }

    @inline(__always)
    private func parse(_ reader: CSVReader) throws(IntakeError) -> (Int, Row) {
        try reader.requireWidth(header)
        try reader.requireId(qc, header)
        try reader.requireId(ic, header)
        let score = try reader.number(sc, header)
        let qf = reader.fields[qc]
        let key = qf.escaped ? EscapedIds.intern(reader.bytes(of: qf)) : reader.raw(qf)
        guard let q = solution.find(key) else {
            throw IntakeError(.unknownQuery, "the query '\(reader.string(of: qf).prefix(80))' is not in the solution", row: reader.row, column: names.query)
        }
        let f = reader.fields[ic]
        let item = f.escaped ? EscapedIds.intern(reader.bytes(of: f)) : reader.raw(f)
        return (q, Row(key: scoreOrderKey(score), item: item, line: Int32(truncatingIfNeeded: reader.row)))
    }

    /// Orders one query's rows by score descending, ties by item id descending (trec_eval),
    /// and appends their relevances.
    private func rank(_ q: Int, _ rows: inout [Row], _ table: inout ItemTable, _ out: inout RankingSubmission) throws(IntakeError) {
        rows.sort { a, b in
            if a.key != b.key { return a.key > b.key }
            return lexicographicallyGreater(a.item, b.item)
        }
        let judged = solution.itemStart[q]..<solution.itemStart[q + 1]
        table.reset(for: judged.count + rows.count)
        for j in judged { _ = table.addJudged(solution.items.bytes(j), relevance: solution.relevance[j]) }
        let start = out.relevance.count
        for (i, row) in rows.enumerated() {
            guard let r = table.rank(row.item) else {
                let line = rows.filter { equalBytes($0.item, row.item) }.map(\.line).max() ?? row.line
                throw IntakeError(
                    .duplicateItem, "the item '\(String(decoding: row.item, as: UTF8.self).prefix(80))' is ranked twice for the query '\(solution.queries.string(q).prefix(80))'",
                    row: Int(line), column: names.item)
            }
            out.relevance.append(r)
            out.tieStart!.append(i == 0 || rows[i - 1].key != row.key ? 1 : 0)
        }
        out.ranked[q] = start..<out.relevance.count
    }
}

@inline(__always)
func lexicographicallyGreater(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = min(a.count, b.count)
    if n > 0 {
        let c = memcmp(a.baseAddress!, b.baseAddress!, n)
        if c != 0 { return c > 0 }
    }
    return a.count > b.count
}

#if canImport(Glibc)
import Glibc
#endif

/// A `UInt64` whose unsigned order is the numeric order of `score` (`-0.0` equals `0.0`).
@inline(__always)
func scoreOrderKey(_ score: Double) -> UInt64 {
    let bits = (score == 0 ? 0.0 : score).bitPattern
    return (bits & (1 << 63)) != 0 ? ~bits : bits | (1 << 63)
}
