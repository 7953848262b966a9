import PodiumParallel

/// The fast path of `Solution.read` and `AlignedPredictions.read` for large unquoted files of
/// binary and regression challenges: both halves of a file are parsed at once.
enum FastColumns {
    struct SolutionPart {
        var spans: [UInt64] = []
        var usage: [Usage] = []
        var binary: [UInt8] = []
        var numbers: [Double] = []
    }

    /// Parses the rows of an unquoted solution; `nil` means "use the general reader".
    static func solution(
        _ buffer: InputBytes, from: Int, width: Int, id: Int, target: Int, usage: Int, binary: Bool, reading: Reading
    ) -> (spans: [UInt64], usage: [Usage], binary: [UInt8], numbers: [Double])? {
        nonisolated(unsafe) let bytes = buffer.bytes
        guard bytes.count >= reading.fastPathMinimumBytes else { return nil }
        let parts = FastScan.split(bytes, from: from, parts: 2)
        var results = concurrentMap(parts.count, reading.parallelism) { k -> SolutionPart? in
            var part = SolutionPart()
            // The first part reserves room for every row (address space only: untouched pages
            // cost nothing), so the second can be appended without moving the first.
            let estimate = k == 0 ? (bytes.count - from) / 6 + 1 : parts[k].count / 6 + 1
            part.spans.reserveCapacity(estimate)
            part.usage.reserveCapacity(estimate)
            if binary { part.binary.reserveCapacity(estimate) } else { part.numbers.reserveCapacity(estimate) }
            let base = bytes.baseAddress!
            let ok = FastScan.forEachLine(bytes, parts[k], width: width, columns: [id, target, usage]) { f in
                let idLength = f[1] - f[0]
                guard idLength > 0, idLength <= IdColumn.maxLength else { return false }
                guard let u = Usage.parse(UnsafeBufferPointer(start: base + f[4], count: f[5] - f[4])) else {
                    return false
                }
                let raw = UnsafeBufferPointer(start: base + f[2], count: f[3] - f[2])
                if binary {
                    guard raw.count == 1, raw[0] == 48 || raw[0] == 49 else {
                        // "1.0", " 1" and friends: the general reader handles them.
                        return false
                    }
                    part.binary.append(raw[0] &- 48)
                } else {
                    guard case .value(let v) = NumberParser.parse(raw) else { return false }
                    part.numbers.append(v)
                }
                part.spans.append((UInt64(f[0]) << IdColumn.lengthBits) | UInt64(idLength))
                part.usage.append(u)
                return true
            }
            return ok ? part : nil
        }
        guard results.allSatisfy({ $0 != nil }) else { return nil }
        var first = SolutionPart()
        swap(&first, &results[0]!)  // moved, not copied: appending must not duplicate it
        for k in 1..<results.count {
            first.spans.append(contentsOf: results[k]!.spans)
            first.usage.append(contentsOf: results[k]!.usage)
            first.binary.append(contentsOf: results[k]!.binary)
            first.numbers.append(contentsOf: results[k]!.numbers)
            results[k] = nil
        }
        return (first.spans, first.usage, first.binary, first.numbers)
    }

    /// Reads an unquoted numeric submission aligned to `solution`; `nil` means "use the
    /// general reader" (which then finds any error in file order).
    ///
    /// Rows that follow the solution's order are matched by comparing with the next solution
    /// id; any other row by the solution's key table. When the solution's ids are in order
    /// (so it has no table yet) and the file is not, the table is built and the file read again.
    static func numbers(
        _ buffer: InputBytes, from: Int, width: Int, id: Int, value: Int, solution: Solution, reading: Reading
    ) -> [Double]? {
        guard buffer.bytes.count >= reading.fastPathMinimumBytes else { return nil }
        switch numbers(
            buffer, from: from, width: width, id: id, value: value, solution: solution, table: solution.builtTable,
            reading: reading)
        {
        case .values(let values): return values
        case .fallBack: return nil
        case .needTable:
            let table = solution.lookupTable()
            if case .values(let values) = numbers(
                buffer, from: from, width: width, id: id, value: value, solution: solution, table: table,
                reading: reading)
            {
                return values
            }
            return nil
        }
    }

    enum NumbersOutcome {
        case values([Double])
        case fallBack
        /// Too many rows out of the solution's order to find each by binary search.
        case needTable
    }

    /// Out-of-order rows a part may find by binary search before the key table is built.
    static let searchLimit = 4096

    private static func numbers(
        _ buffer: InputBytes, from: Int, width: Int, id: Int, value: Int, solution: Solution, table: KeyTable?,
        reading: Reading
    ) -> NumbersOutcome {
        nonisolated(unsafe) let bytes = buffer.bytes
        let n = solution.count
        var values = [Double](unsafeUninitializedCapacity: n) { _, count in count = n }
        var seen = [UInt8](repeating: 0, count: n)
        let parts = FastScan.split(bytes, from: from, parts: 2)
        var rows = [Int](repeating: -1, count: parts.count)
        solution.ids.view { ids in
            values.withUnsafeMutableBufferPointer { valuesBuffer in
                seen.withUnsafeMutableBufferPointer { seenBuffer in
                    nonisolated(unsafe) let (out, marks) = (valuesBuffer, seenBuffer)
                    rows = concurrentMap(parts.count, reading.parallelism) { k -> Int in
                        let base = bytes.baseAddress!
                        var part = PartAligner(solution: solution, ids: ids, table: table, out: out, marks: marks)
                        defer { part.batch.deallocate() }
                        let ok = FastScan.forEachLine(
                            bytes, parts[k], width: width, columns: [id, value], releasing: buffer.isMapped
                        ) { f in
                            guard
                                case .value(let v) = NumberParser.parse(
                                    UnsafeBufferPointer(start: base + f[2], count: f[3] - f[2]))
                            else {
                                return false
                            }
                            return part.take(UnsafeBufferPointer(start: base + f[0], count: f[1] - f[0]), v)
                        }
                        if !ok && part.searches > searchLimit { return -2 }
                        return ok && part.flush() ? part.count : -1
                    }
                }
            }
        }
        if rows.contains(-2) { return .needTable }
        // Every solution row exactly once: as many rows as ids, and every id marked.
        guard rows.allSatisfy({ $0 >= 0 }), rows.reduce(0, +) == n else { return .fallBack }
        let marked = seen.withUnsafeBufferPointer { s in s.reduce(0) { $0 + Int($1) } }
        return marked == n ? .values(values) : .fallBack
    }

    /// One core's share of a numeric submission: puts each row's value in its solution row.
    struct PartAligner {
        let solution: Solution
        let ids: IdView
        let table: KeyTable?
        let out: UnsafeMutableBufferPointer<Double>
        let marks: UnsafeMutableBufferPointer<UInt8>
        var expected = -1
        var inOrder = true
        var searches = 0
        var count = 0
        var batch = KeyBatch()

        /// Takes the row of id `key` with value `v`; false at an unknown or repeated id (or,
        /// without a table, too many rows out of order).
        @inline(__always)
        mutating func take(_ key: UnsafeBufferPointer<UInt8>, _ v: Double) -> Bool {
            if batch.count == 0 && inOrder && expected >= 0 && expected < out.count
                && equalBytes(ids.bytes(expected), key)
            {
                guard store(expected, v) else { return false }
                expected += 1
                return true
            }
            if let table {
                // Out of order: batched, so that the lookups' cache misses overlap.
                guard let hash = IdKey.of(key, table.mode) else { return false }
                batch.append(key: hash, id: key, value: v)
                return batch.isFull ? flush() : true
            }
            searches &+= 1
            guard searches <= FastColumns.searchLimit, let r = solution.search(key, ids), store(r, v) else {
                return false
            }
            expected = r + 1
            return true
        }

        /// Stores value `v` of solution row `r`; false if the row was given before.
        @inline(__always)
        mutating func store(_ r: Int, _ v: Double) -> Bool {
            guard marks[r] == 0 else { return false }
            marks[r] = 1
            out[r] = v
            count &+= 1
            return true
        }

        /// Looks the batched rows up together; false at an unknown or repeated id.
        mutating func flush() -> Bool {
            guard batch.count > 0 else { return true }
            table!.find(batch, ids)
            for i in 0..<batch.count where batch.rows[i] < 0 { return false }
            // Stored in the order of their rows' blocks: ascending pages of the values and marks.
            batch.sortOrder(by: batch.rows, below: out.count)
            for j in 0..<batch.count {
                let i = Int(batch.order[j])
                guard store(batch.rows[i], batch.values[i]) else { return false }
            }
            // Back in the solution's order (two consecutive rows)? Then compare with the next
            // id again.
            let last = batch.rows[batch.count - 1]
            inOrder = batch.count == 1 || batch.rows[batch.count - 2] == last - 1
            expected = last + 1
            batch.grow(inOrder: inOrder)
            batch.count = 0
            return true
        }
    }
}
