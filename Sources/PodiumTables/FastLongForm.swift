import PodiumParallel

/// The fast path of long-form ranking submissions: each core reads a part of the file cut at a
/// change of query, ranking each query's rows as its group ends.
///
/// Like `FastColumns`, it gives up (`nil`) at anything unexpected — a quote, a bad value, an
/// unknown query, a repeated item, a query whose rows are not together — and the general
/// reader then runs and reports the exact error.
extension LongFormReader {
    func readFast(_ buffer: InputBytes, from: Int, reading: Reading) -> RankingSubmission? {
        nonisolated(unsafe) let bytes = buffer.bytes
        guard bytes.count >= reading.fastPathMinimumBytes else { return nil }
        let parts = queryAlignedParts(bytes, from: from)
        let width = header.names.count
        let reader = self
        let outputs = concurrentMap(parts.count, reading.parallelism) { k -> (RankingSubmission, [Int])? in
            let base = bytes.baseAddress!
            var out = RankingSubmission(ranked: Array(repeating: 0..<0, count: reader.solution.count), tieStart: [])
            var done = [Bool](repeating: false, count: reader.solution.count)
            var order: [Int] = []
            var pending: [Row] = []
            let table = ItemTable()
            var current = -1
            var cache = QueryCache()
            var failed = false
            let ok = FastScan.forEachLine(
                bytes, parts[k], width: width, columns: [reader.qc, reader.ic, reader.sc], releasing: buffer.isMapped
            ) { f in
                let key = UnsafeBufferPointer(start: base + f[0], count: f[1] - f[0])
                let item = UnsafeBufferPointer(start: base + f[2], count: f[3] - f[2])
                guard key.count > 0, item.count > 0,
                    case .value(let score) = NumberParser.parse(
                        UnsafeBufferPointer(start: base + f[4], count: f[5] - f[4]))
                else { return false }
                let q: Int
                if cache.query >= 0 && equalBytes(cache.key, key) {
                    q = cache.query
                } else {
                    guard let found = reader.solution.find(key) else { return false }
                    q = found
                    cache = QueryCache(key: key, query: q)
                }
                if q != current {
                    if current >= 0 {
                        do { try reader.rank(current, &pending, table, &out) } catch {
                            failed = true
                            return false
                        }
                        done[current] = true
                        order.append(current)
                    }
                    if done[q] { return false }
                    current = q
                    pending.removeAll(keepingCapacity: true)
                }
                pending.append(Row(key: scoreOrderKey(score), item: item, line: 0))
                return true
            }
            guard ok, !failed else { return nil }
            if current >= 0 {
                do { try reader.rank(current, &pending, table, &out) } catch { return nil }
                order.append(current)
            }
            return (out, order)
        }
        let results = outputs.map { $0?.0 }
        let groups = outputs.map { $0?.1 ?? [] }
        guard results.allSatisfy({ $0 != nil }) else { return nil }
        // No query may have rows in two parts.
        var seen = [Bool](repeating: false, count: solution.count)
        for list in groups {
            for q in list {
                if seen[q] { return nil }
                seen[q] = true
            }
        }
        var merged = merge(results.map { $0! }, groups: groups)
        merged.unsubmitted = (0..<solution.count).filter { !seen[$0] }
        return merged
    }

    /// Joins parts ranked on different cores; `groups[k]` lists the queries part `k` ranked.
    func merge(_ parts: [RankingSubmission], groups: [[Int]]) -> RankingSubmission {
        var results = parts
        var merged = RankingSubmission(ranked: Array(repeating: 0..<0, count: 0), tieStart: nil)
        swap(&merged, &results[0])
        for k in 1..<results.count {
            let offset = merged.relevance.count
            let part = results[k]
            merged.relevance.append(contentsOf: part.relevance)
            merged.tieStart!.append(contentsOf: part.tieStart!)
            for q in groups[k] {
                let r = part.ranked[q]
                merged.ranked[q] = (r.lowerBound + offset)..<(r.upperBound + offset)
            }
        }
        return merged
    }

    /// Two parts, the second starting at the first line whose query differs from the line
    /// before it (so no query is cut in two), or one part.
    private func queryAlignedParts(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> [Range<Int>] {
        let halves = FastScan.split(bytes, from: from, parts: 2)
        guard halves.count == 2 else { return halves }
        let base = bytes.baseAddress!
        // The query field of the line starting at `p` (the query must be a plain field).
        func query(at p: Int) -> (Range<Int>, next: Int)? {
            var field = 0
            var s = p
            var q = p
            var found: Range<Int>? = nil
            while q < bytes.count && base[q] != 10 {
                if base[q] == UInt8(ascii: ",") {
                    if field == qc { found = s..<q }
                    field += 1
                    s = q + 1
                }
                q += 1
            }
            if field == qc { found = s..<q }
            guard let found else { return nil }
            return (found, q + 1)
        }
        // The line before the cut.
        var lineStart = halves[1].lowerBound - 1
        while lineStart > from && base[lineStart - 1] != 10 { lineStart -= 1 }
        guard var previous = query(at: lineStart)?.0 else { return [halves[0].lowerBound..<bytes.count] }
        var p = halves[1].lowerBound
        while p < bytes.count {
            guard let (current, next) = query(at: p) else { return [halves[0].lowerBound..<bytes.count] }
            if !equalBytes(
                UnsafeBufferPointer(rebasing: bytes[current]), UnsafeBufferPointer(rebasing: bytes[previous]))
            {
                return [halves[0].lowerBound..<p, p..<bytes.count]
            }
            previous = current
            p = next
        }
        return [halves[0].lowerBound..<bytes.count]
    }
}
