import Metrics

/// The fast path of long-form ranking submissions whose queries are not grouped (rows
/// shuffled, or sorted by score): both halves of the file are parsed at once into compact rows,
/// grouped by query with a counting sort (each half scattering its own rows), and each core
/// ranks half of the queries.
///
/// Like `readFast`, it gives up (`nil`) at anything unexpected, and the general reader then
/// runs and reports the exact error.
extension LongFormReader {
    /// One file part's rows: query, score key, and the item's place in the file.
    private struct Parsed {
        var queries: [Int32] = []
        var keys: [UInt64] = []
        var items: [UInt64] = []
    }

    func readFastScattered(_ buffer: ByteBuffer, from: Int) -> RankingSubmission? {
        nonisolated(unsafe) let bytes = buffer.bytes
        guard bytes.count >= FastScan.minimumBytes else { return nil }
        let parts = FastScan.split(bytes, from: from, parts: 2)
        let width = header.names.count
        let reader = self
        let queryCount = solution.count
        let parsed = concurrentMap(parts.count) { k -> Parsed? in
            let base = bytes.baseAddress!
            var part = Parsed()
            let estimate = parts[k].count / 16 + 16
            part.queries.reserveCapacity(estimate)
            part.keys.reserveCapacity(estimate)
            part.items.reserveCapacity(estimate)
            var cache = QueryCache()
            let ok = FastScan.forEachLine(bytes, parts[k], width: width, columns: [reader.qc, reader.ic, reader.sc]) { f in
                let key = UnsafeBufferPointer(start: base + f[0], count: f[1] - f[0])
                let itemLength = f[3] - f[2]
                guard key.count > 0, itemLength > 0, itemLength <= IdColumn.maxLength,
                    case .value(let score) = NumberParser.parse(UnsafeBufferPointer(start: base + f[4], count: f[5] - f[4]))
                else { return false }
                let q: Int
                if cache.query >= 0 && equalBytes(cache.key, key) {
                    q = cache.query
                } else {
                    guard let found = reader.solution.find(key) else { return false }
                    q = found
                    cache = QueryCache(key: key, query: q)
                }
                part.queries.append(Int32(truncatingIfNeeded: q))
                part.keys.append(scoreOrderKey(score))
                part.items.append((UInt64(f[2]) << IdColumn.lengthBits) | UInt64(itemLength))
                return true
            }
            return ok ? part : nil
        }
        guard parsed.allSatisfy({ $0 != nil }) else { return nil }

        // Where each part's rows of query q go: part 0's first, then part 1's (file order).
        let counts = concurrentMap(parsed.count) { k -> [Int] in
            var c = [Int](repeating: 0, count: queryCount)
            for q in parsed[k]!.queries { c[Int(q)] &+= 1 }
            return c
        }
        var start = [Int](repeating: 0, count: queryCount + 1)
        var offsets = [[Int]](repeating: [], count: parsed.count)
        var total = 0
        for q in 0..<queryCount {
            start[q] = total
            for k in 0..<parsed.count { total += counts[k][q] }
        }
        start[queryCount] = total
        for k in 0..<parsed.count {
            var o = [Int](repeating: 0, count: queryCount)
            for q in 0..<queryCount {
                o[q] = start[q]
                for j in 0..<k { o[q] += counts[j][q] }
            }
            offsets[k] = o
        }
        let where_ = offsets
        var keys = [UInt64](repeating: 0, count: total)
        var items = [UInt64](repeating: 0, count: total)
        keys.withUnsafeMutableBufferPointer { keysBuffer in
            items.withUnsafeMutableBufferPointer { itemsBuffer in
                nonisolated(unsafe) let (keysOut, itemsOut) = (keysBuffer, itemsBuffer)
                forEachConcurrently(parsed.count) { k in
                    var next = where_[k]
                    let part = parsed[k]!
                    for i in part.queries.indices {
                        let q = Int(part.queries[i])
                        keysOut[next[q]] = part.keys[i]
                        itemsOut[next[q]] = part.items[i]
                        next[q] &+= 1
                    }
                }
            }
        }

        let (groupStart, sortedKeys, sortedItems) = (start, keys, items)
        // Each core ranks the queries of half of the rows.
        var cut = 0
        while cut < queryCount && start[cut] < total / 2 { cut += 1 }
        let ranges = total >= 1 << 16 ? [0..<cut, cut..<queryCount] : [0..<queryCount]
        let outputs = concurrentMap(ranges.count) { k -> (RankingSubmission, [Int])? in
            let base = bytes.baseAddress!
            var out = RankingSubmission(ranked: Array(repeating: 0..<0, count: queryCount), tieStart: [])
            let table = ItemTable()
            var pending: [Row] = []
            var order: [Int] = []
            for q in ranges[k] where groupStart[q + 1] > groupStart[q] {
                pending.removeAll(keepingCapacity: true)
                for i in groupStart[q]..<groupStart[q + 1] {
                    let span = sortedItems[i]
                    let offset = Int(span >> IdColumn.lengthBits)
                    let length = Int(span & UInt64(IdColumn.maxLength))
                    pending.append(Row(key: sortedKeys[i], item: UnsafeBufferPointer(start: base + offset, count: length), line: 0))
                }
                do { try reader.rank(q, &pending, table, &out) } catch { return nil }
                order.append(q)
            }
            return (out, order)
        }
        guard outputs.allSatisfy({ $0 != nil }) else { return nil }
        var merged = merge(outputs.map { $0!.0 }, groups: outputs.map { $0!.1 })
        merged.unsubmitted = (0..<queryCount).filter { start[$0 + 1] == start[$0] }
        return merged
    }
}
