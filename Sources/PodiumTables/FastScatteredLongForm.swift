import PodiumParallel

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

        /// Fills in the queries of the batched rows; false at an unknown query.
        mutating func resolve(_ batch: inout KeyBatch, _ table: KeyTable, _ view: IdView) -> Bool {
            guard batch.count > 0 else { return true }
            table.find(batch, view)
            for i in 0..<batch.count {
                guard batch.rows[i] >= 0 else { return false }
                queries[Int(batch.values[i].bitPattern)] = Int32(truncatingIfNeeded: batch.rows[i])
            }
            batch.count = 0
            return true
        }
    }

    func readFastScattered(_ buffer: InputBytes, from: Int, reading: Reading) -> RankingSubmission? {
        nonisolated(unsafe) let bytes = buffer.bytes
        guard bytes.count >= reading.fastPathMinimumBytes else { return nil }
        let parts = FastScan.split(bytes, from: from, parts: 2)
        let width = header.names.count
        let reader = self
        let queryCount = solution.count
        var parsed = concurrentMap(parts.count, reading.parallelism) { k -> Parsed? in
            let base = bytes.baseAddress!
            var part = Parsed()
            let estimate = parts[k].count / 16 + 16
            part.queries.reserveCapacity(estimate)
            part.keys.reserveCapacity(estimate)
            part.items.reserveCapacity(estimate)
            let table = reader.solution.queryTable
            var batch = KeyBatch()
            defer { batch.deallocate() }
            let ok = reader.solution.queries.view { queries -> Bool in
                // Pages may be dropped as they are parsed: items of up to 7 bytes are kept inline,
                // and longer ones are read again from the page cache when ranked.
                let read = FastScan.forEachLine(
                    bytes, parts[k], width: width, columns: [reader.qc, reader.ic, reader.sc],
                    releasing: buffer.isMapped
                ) { f in
                    let key = UnsafeBufferPointer(start: base + f[0], count: f[1] - f[0])
                    let itemLength = f[3] - f[2]
                    guard key.count > 0, itemLength > 0, itemLength <= IdColumn.maxLength,
                        case .value(let score) = NumberParser.parse(
                            UnsafeBufferPointer(start: base + f[4], count: f[5] - f[4])),
                        let hash = IdKey.of(key, table.mode)
                    else { return false }
                    // The query is looked up later with others, so that their cache misses overlap.
                    batch.append(key: hash, id: key, value: Double(bitPattern: UInt64(part.queries.count)))
                    part.queries.append(-1)
                    part.keys.append(scoreOrderKey(score))
                    part.items.append(itemWord(base + f[2], itemLength, offset: f[2]))
                    return batch.isFull ? part.resolve(&batch, table, queries) : true
                }
                return read && part.resolve(&batch, table, queries)
            }
            return ok ? part : nil
        }
        guard parsed.allSatisfy({ $0 != nil }) else { return nil }

        // Where each part's rows of query q go: part 0's first, then part 1's (file order).
        let counts = { (rows: [Parsed?]) in
            concurrentMap(rows.count, reading.parallelism) { k -> [Int] in
                var c = [Int](repeating: 0, count: queryCount)
                for q in rows[k]!.queries { c[Int(q)] &+= 1 }
                return c
            }
        }(parsed)
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
        let place = offsets
        var keys = [UInt64](repeating: 0, count: total)
        var items = [UInt64](repeating: 0, count: total)
        keys.withUnsafeMutableBufferPointer { keysBuffer in
            items.withUnsafeMutableBufferPointer { itemsBuffer in
                nonisolated(unsafe) let (keysOut, itemsOut) = (keysBuffer, itemsBuffer)
                let rows = parsed
                forEachConcurrently(rows.count, reading.parallelism) { k in
                    var next = place[k]
                    let part = rows[k]!
                    for i in part.queries.indices {
                        let q = Int(part.queries[i])
                        keysOut[next[q]] = part.keys[i]
                        itemsOut[next[q]] = part.items[i]
                        next[q] &+= 1
                    }
                }
            }
        }

        parsed = []  // grouped now: the parsed rows are no longer needed
        let (groupStart, sortedKeys, sortedItems) = (start, keys, items)
        // Each core ranks the queries of half of the rows.
        var cut = 0
        while cut < queryCount && start[cut] < total / 2 { cut += 1 }
        let ranges = total >= 1 << 16 ? [0..<cut, cut..<queryCount] : [0..<queryCount]
        let outputs = concurrentMap(ranges.count, reading.parallelism) { k -> (RankingSubmission, [Int])? in
            let base = bytes.baseAddress!
            var out = RankingSubmission(ranked: Array(repeating: 0..<0, count: queryCount), tieStart: [])
            let table = ItemTable()
            var pending: [Row] = []
            var order: [Int] = []
            return sortedItems.withUnsafeBufferPointer { words -> (RankingSubmission, [Int])? in
                let inline = UnsafeRawPointer(words.baseAddress!).assumingMemoryBound(to: UInt8.self)
                for q in ranges[k] where groupStart[q + 1] > groupStart[q] {
                    pending.removeAll(keepingCapacity: true)
                    for i in groupStart[q]..<groupStart[q + 1] {
                        let word = words[i]
                        let item: UnsafeBufferPointer<UInt8>
                        if word & (1 << 63) != 0 {
                            item = UnsafeBufferPointer(start: inline + 8 &* i, count: Int((word >> 56) & 0x7F))
                        } else {
                            item = UnsafeBufferPointer(
                                start: base + Int(word >> IdColumn.lengthBits),
                                count: Int(word & UInt64(IdColumn.maxLength)))
                        }
                        pending.append(Row(key: sortedKeys[i], item: item, line: 0))
                    }
                    do { try reader.rank(q, &pending, table, &out) } catch { return nil }
                    order.append(q)
                }
                return (out, order)
            }
        }
        guard outputs.allSatisfy({ $0 != nil }) else { return nil }
        var merged = merge(outputs.map { $0!.0 }, groups: outputs.map { $0!.1 })
        merged.unsubmitted = (0..<queryCount).filter { start[$0 + 1] == start[$0] }
        return merged
    }
}

/// An item as one word: up to 7 bytes inline (the top byte holds 0x80 | length, so that the
/// word's own memory holds the bytes in order on a little-endian machine), else its place in
/// the file — so that ranking a query's rows reads no bytes scattered across the file.
@inline(__always)
private func itemWord(_ p: UnsafePointer<UInt8>, _ length: Int, offset: Int) -> UInt64 {
    guard length <= 7 else { return (UInt64(offset) << IdColumn.lengthBits) | UInt64(length) }
    var word: UInt64 = (0x80 | UInt64(length)) << 56
    for j in 0..<length { word |= UInt64(p[j]) << (8 * UInt64(j)) }
    return word
}
