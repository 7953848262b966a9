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
    /// Solution queries whose list-form `items` cell is empty: no recommendation, scored 0.
    public var emptyLists: [Int] = []

    /// Reads a long-form (`query,item,score`) or list-form (`query,items`) submission.
    ///
    /// - Parameters:
    ///   - scores: the score column name candidates, first present wins (long form).
    ///   - depth: how many top ranks the metrics read (long form: lower ranks are only
    ///     checked for repeated items, not ordered).
    public static func read(
        _ buffer: InputBytes, solution: RankingSolution, query: String, item: String, scores: [String],
        depth: Int = Int.max, file: String = "submission", reading: Reading = .standard
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
        let long = LongFormReader(
            solution: solution, header: header, qc: qc, ic: ic, sc: sc, names: (query, item), depth: depth)
        if let fast = long.readFast(buffer, from: reader.position, reading: reading) { return fast }
        if let fast = long.readFastScattered(buffer, from: reader.position, reading: reading) { return fast }
        return try long.read(&reader)
    }

    static func readList(
        _ reader: inout CSVReader, _ header: Header, _ solution: RankingSolution, _ qc: Int, _ lc: Int, query: String
    ) throws(IntakeError) -> RankingSubmission {
        var out = RankingSubmission(ranked: Array(repeating: 0..<0, count: solution.count))
        var seenRow = [Int32](repeating: 0, count: solution.count)
        let table = ItemTable()
        while try reader.next() {
            try reader.requireWidth(header)
            try reader.requireId(qc, header)
            let qf = reader.fields[qc]
            let key = qf.escaped ? EscapedIds.intern(reader.bytes(of: qf)) : reader.raw(qf)
            guard let q = solution.find(key) else {
                throw IntakeError(
                    .unknownQuery, "the query '\(reader.quoted(qf))' is not in the solution", row: reader.row,
                    column: query)
            }
            if seenRow[q] != 0 {
                throw IntakeError(
                    .duplicateID,
                    "the query '\(reader.quoted(qf))' appears twice (rows \(seenRow[q]) and \(reader.row))",
                    row: reader.row, column: query)
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
            // An empty cell is Kaggle's empty prediction string: no recommendation, scored 0.
            if tokens.isEmpty { out.emptyLists.append(q) }
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
                "\(missing.count) quer\(missing.count == 1 ? "y is" : "ies are") missing from the submission, first: "
                    + "\(missing.prefix(5).map { solution.queries.string($0) }.joined(separator: ", "))",
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
    let depth: Int

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
        let table = ItemTable()
        var cache = QueryCache()
        while try reader.next() {
            let (q, row) = try parse(reader, &cache)
            if q != current {
                if current >= 0 {
                    try rank(current, &pending, table, &out)
                    done[current] = true
                }
                if done[q] { return nil }
                current = q
                pending.removeAll(keepingCapacity: true)
            }
            pending.append(row)
        }
        if current >= 0 {
            try rank(current, &pending, table, &out)
            done[current] = true
        }
        out.unsubmitted = (0..<solution.count).filter { !done[$0] }
        return out
    }

    private func readScattered(_ reader: inout CSVReader) throws(IntakeError) -> RankingSubmission {
        var rows: [Row] = []
        var queries: [Int32] = []
        var cache = QueryCache()
        while try reader.next() {
            let (q, row) = try parse(reader, &cache)
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
        let table = ItemTable()
        var pending: [Row] = []
        for q in 0..<solution.count where start[q + 1] > start[q] {
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: grouped[start[q]..<start[q + 1]])
            try rank(q, &pending, table, &out)
        }
        out.unsubmitted = (0..<solution.count).filter { start[$0 + 1] == start[$0] }
        return out
    }

    /// The last row's query, so that rows of the same query skip the lookup.
    struct QueryCache {
        var key = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var query = -1
    }

    @inline(__always)
    private func parse(_ reader: CSVReader, _ cache: inout QueryCache) throws(IntakeError) -> (Int, Row) {
        try reader.requireWidth(header)
        try reader.requireId(qc, header)
        try reader.requireId(ic, header)
        let score = try reader.number(sc, header)
        let qf = reader.fields[qc]
        let key = qf.escaped ? EscapedIds.intern(reader.bytes(of: qf)) : reader.raw(qf)
        let q: Int
        if cache.query >= 0 && equalBytes(cache.key, key) {
            q = cache.query
        } else {
            guard let found = solution.find(key) else {
                throw IntakeError(
                    .unknownQuery, "the query '\(reader.quoted(qf))' is not in the solution", row: reader.row,
                    column: names.query)
            }
            q = found
            cache = QueryCache(key: key, query: q)
        }
        let f = reader.fields[ic]
        let item = f.escaped ? EscapedIds.intern(reader.bytes(of: f)) : reader.raw(f)
        return (q, Row(key: scoreOrderKey(score), item: item, line: Int32(truncatingIfNeeded: reader.row)))
    }

    /// Orders one query's rows by score descending, ties by item id descending (trec_eval),
    /// and appends their relevances.
    func rank(_ q: Int, _ rows: inout [Row], _ table: ItemTable, _ out: inout RankingSubmission) throws(IntakeError) {
        let kept = rows.withUnsafeMutableBufferPointer { sortRanked($0, depth: depth) }
        let judged = solution.itemStart[q]..<solution.itemStart[q + 1]
        table.reset(for: judged.count + rows.count)
        for j in judged { _ = table.addJudged(solution.items.bytes(j), relevance: solution.relevance[j]) }
        let start = out.relevance.count
        for (i, row) in rows.enumerated() {
            guard let r = table.rank(row.item) else {
                let line = rows.filter { equalBytes($0.item, row.item) }.map(\.line).max() ?? row.line
                throw IntakeError(
                    .duplicateItem,
                    "the item '\(IntakeError.quote(bytes: row.item))' is ranked twice for the query "
                        + "'\(IntakeError.quote(bytes: solution.queries.bytes(q)))'",
                    row: Int(line), column: names.item)
            }
            if i < kept {
                out.relevance.append(r)
                out.tieStart!.append(i == 0 || rows[i - 1].key != row.key ? 1 : 0)
            }
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

/// Puts the best `depth` rows first, by score descending, ties by item id descending
/// (trec_eval), and returns how many lead rows are in that order (at least `depth`, or all).
///
/// A quickselect brings the top `depth` scores forward, together with every row tied with the
/// last of them; only that lead is sorted (quicksort, insertion sort for short runs), then
/// runs of equal scores are ordered by item id.
func sortRanked(_ rows: UnsafeMutableBufferPointer<LongFormReader.Row>, depth: Int = Int.max) -> Int {
    var lead = rows.count
    if depth < rows.count {
        selectTop(rows, depth)
        var boundary = rows[0].key
        for i in 0..<depth where rows[i].key < boundary { boundary = rows[i].key }
        lead = depth
        for i in depth..<rows.count where rows[i].key == boundary {
            rows.swapAt(i, lead)
            lead += 1
        }
    }
    let front = UnsafeMutableBufferPointer(rebasing: rows[0..<lead])
    quicksortDescending(front, 0, lead - 1, depth: 0)
    var i = 0
    while i < lead {
        var j = i + 1
        while j < lead && rows[j].key == rows[i].key { j += 1 }
        if j - i > 1 {
            var run = UnsafeMutableBufferPointer(rebasing: rows[i..<j])
            run.sort { lexicographicallyGreater($0.item, $1.item) }
        }
        i = j
    }
    return lead
}

/// Hoare partition around the median of three, larger keys first: afterwards
/// `a[lo...j] >= pivot >= a[i...hi]`.
@inline(__always)
private func partitionDescending(_ a: UnsafeMutableBufferPointer<LongFormReader.Row>, _ lo: Int, _ hi: Int) -> (
    Int, Int
) {
    let mid = lo + (hi - lo) / 2
    if a[mid].key > a[lo].key { a.swapAt(mid, lo) }
    if a[hi].key > a[lo].key { a.swapAt(hi, lo) }
    if a[hi].key > a[mid].key { a.swapAt(hi, mid) }
    let pivot = a[mid].key
    var i = lo
    var j = hi
    while i <= j {
        while a[i].key > pivot { i += 1 }
        while a[j].key < pivot { j -= 1 }
        if i <= j {
            a.swapAt(i, j)
            i += 1
            j -= 1
        }
    }
    return (i, j)
}

/// Hoare quickselect: afterwards the `k` largest keys occupy `rows[..<k]`, in any order.
private func selectTop(_ a: UnsafeMutableBufferPointer<LongFormReader.Row>, _ k: Int) {
    var lo = 0
    var hi = a.count - 1
    while hi > lo {
        let (i, j) = partitionDescending(a, lo, hi)
        if k - 1 <= j { hi = j } else if k - 1 >= i { lo = i } else { return }
    }
}

private func quicksortDescending(_ a: UnsafeMutableBufferPointer<LongFormReader.Row>, _ lo: Int, _ hi: Int, depth: Int)
{
    var lo = lo
    var hi = hi
    while hi - lo > 16 {
        if depth > 64 {
            var rest = UnsafeMutableBufferPointer(rebasing: a[lo...hi])
            rest.sort { $0.key > $1.key }
            return
        }
        let (i, j) = partitionDescending(a, lo, hi)
        // Recurse into the smaller side, loop on the larger.
        if j - lo < hi - i {
            quicksortDescending(a, lo, j, depth: depth + 1)
            lo = i
        } else {
            quicksortDescending(a, i, hi, depth: depth + 1)
            hi = j
        }
    }
    if hi > lo {
        for k in lo + 1...hi {
            let x = a[k]
            var m = k
            while m > lo && a[m - 1].key < x.key {
                a[m] = a[m - 1]
                m -= 1
            }
            a[m] = x
        }
    }
}
