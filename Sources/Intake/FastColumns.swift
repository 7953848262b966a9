import Metrics

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
        _ buffer: ByteBuffer, from: Int, width: Int, id: Int, target: Int, usage: Int, binary: Bool
    ) -> (spans: [UInt64], usage: [Usage], binary: [UInt8], numbers: [Double])? {
        nonisolated(unsafe) let bytes = buffer.bytes
        guard bytes.count >= FastScan.minimumBytes else { return nil }
        let parts = FastScan.split(bytes, from: from, parts: 2)
        var results = concurrentMap(parts.count) { k -> SolutionPart? in
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
                guard let u = Usage.parse(UnsafeBufferPointer(start: base + f[4], count: f[5] - f[4])) else { return false }
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
    static func numbers(
        _ buffer: ByteBuffer, from: Int, width: Int, id: Int, value: Int, solution: Solution
    ) -> [Double]? {
        nonisolated(unsafe) let bytes = buffer.bytes
        guard bytes.count >= FastScan.minimumBytes else { return nil }
        let n = solution.count
        var values = [Double](unsafeUninitializedCapacity: n) { _, count in count = n }
        var seen = [UInt8](repeating: 0, count: n)
        let parts = FastScan.split(bytes, from: from, parts: 2)
        var rows = [Int](repeating: -1, count: parts.count)
        let noError: Void? = try? solution.ids.withView { (ids) throws(IntakeError) in
        values.withUnsafeMutableBufferPointer { valuesBuffer in
            seen.withUnsafeMutableBufferPointer { seenBuffer in
                nonisolated(unsafe) let (out, marks) = (valuesBuffer, seenBuffer)
                rows = concurrentMap(parts.count) { k -> Int in
                    let base = bytes.baseAddress!
                    var expected = -1
                    var count = 0
                    let ok = FastScan.forEachLine(bytes, parts[k], width: width, columns: [id, value], releasing: buffer.isMapped) { f in
                        let key = UnsafeBufferPointer(start: base + f[0], count: f[1] - f[0])
                        var r: Int
                        if expected >= 0 && expected < n && equalBytes(ids.bytes(expected), key) {
                            r = expected
                        } else {
                            guard let found = solution.locate(key) else { return false }
                            r = found
                        }
                        guard case .value(let v) = NumberParser.parse(UnsafeBufferPointer(start: base + f[2], count: f[3] - f[2])),
                            marks[r] == 0
                        else { return false }
                        marks[r] = 1
                        out[r] = v
                        expected = r + 1
                        count += 1
                        return true
                    }
                    return ok ? count : -1
                }
            }
        }
        }
        guard noError != nil else { return nil }
        // Every solution row exactly once: as many rows as ids, and every id marked.
        guard rows.allSatisfy({ $0 >= 0 }), rows.reduce(0, +) == n else { return nil }
        let marked = seen.withUnsafeBufferPointer { s in s.reduce(0) { $0 + Int($1) } }
        return marked == n ? values : nil
    }
}
