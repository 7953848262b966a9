import PodiumParallel

#if canImport(Glibc)
import Glibc
#endif

/// The fast path of `Table.read` for large unquoted files: column types are guessed from the
/// first 1,000 lines, then both halves of the file are parsed at once, numbers straight into
/// doubles and only the text columns (and the columns named in `keep`) as bytes copied into a
/// per-column arena, so that the file's pages can be released as they are parsed and are
/// never touched again. A numeric guess that a later value contradicts sends that
/// column through a second pass for its spans. `nil` means "use the general reader".
enum FastTable {
    struct Part {
        var numbers: [[Double]]
        var spans: [[UInt64]]
        var arenas: [[UInt8]]
        var demoted: [Bool]
    }

    static func read(_ buffer: InputBytes, from: Int, names: [String], keep: Set<String>?, reading: Reading)
        -> (columns: [Table.Column], cells: [IdColumn?], rows: Int)?
    {
        nonisolated(unsafe) let bytes = buffer.bytes
        guard bytes.count >= reading.fastPathMinimumBytes, keep != nil else { return nil }
        let width = names.count
        let all = Array(0..<width)
        let base = bytes.baseAddress!

        // Types from the first 1,000 lines.
        var sniffEnd = from
        var lines = 0
        while sniffEnd < bytes.count && lines < 1000 {
            guard let nl = memchr(base + sniffEnd, 10, bytes.count - sniffEnd) else {
                sniffEnd = bytes.count
                break
            }
            sniffEnd = UnsafePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base + 1
            lines += 1
        }
        var numeric = [Bool](repeating: true, count: width)
        guard
            FastScan.forEachLine(
                bytes, from..<sniffEnd, width: width, columns: all,
                { f in
                    for c in 0..<width where numeric[c] {
                        switch NumberParser.parse(
                            UnsafeBufferPointer(start: base + f[2 * c], count: f[2 * c + 1] - f[2 * c]))
                        {
                        case .value, .empty: break
                        case .nonFinite, .nonNumeric: numeric[c] = false
                        }
                    }
                    return true
                })
        else { return nil }
        let spanned = (0..<width).map { !numeric[$0] || keep!.contains(names[$0]) }
        let guessed = numeric
        let linesPerByte = Double(max(lines, 1)) / Double(max(sniffEnd - from, 1))

        // Both halves at once.
        let parts = FastScan.split(bytes, from: from, parts: 2)
        var results = concurrentMap(parts.count, reading.parallelism) { k -> Part? in
            let numeric = guessed
            let base = bytes.baseAddress!
            // Rows expected in this part, from the sniffed lines' mean length (plus 10%).
            let estimate = Int(Double(parts[k].count) * linesPerByte * 1.1) + 16
            var part = Part(
                numbers: (0..<width).map { _ in [] }, spans: (0..<width).map { _ in [] },
                arenas: (0..<width).map { _ in [] }, demoted: [Bool](repeating: false, count: width))
            for c in 0..<width {
                if numeric[c] { part.numbers[c].reserveCapacity(estimate) }
                if spanned[c] { part.spans[c].reserveCapacity(estimate) }
            }
            let ok = FastScan.forEachLine(bytes, parts[k], width: width, columns: all, releasing: buffer.isMapped) {
                f in
                for c in 0..<width {
                    let start = f[2 * c]
                    let length = f[2 * c + 1] - f[2 * c]
                    // Every cell, as the general reader (which keeps every cell's span) refuses.
                    guard length <= IdColumn.maxLength else { return false }
                    if numeric[c] {
                        switch NumberParser.parse(UnsafeBufferPointer(start: base + start, count: length)) {
                        case .value(let v): part.numbers[c].append(v)
                        case .empty: part.numbers[c].append(.nan)
                        case .nonFinite, .nonNumeric:
                            part.demoted[c] = true
                            part.numbers[c].append(.nan)
                        }
                    }
                    if spanned[c] {
                        part.spans[c].append(IdColumn.arenaSpan(part.arenas[c].count, length))
                        part.arenas[c].append(contentsOf: UnsafeBufferPointer(start: base + start, count: length))
                    }
                }
                return true
            }
            return ok ? part : nil
        }
        guard results.allSatisfy({ $0 != nil }) else { return nil }
        // One column at a time into arrays of the exact size, each part's copy freed as soon as
        // it is moved: the peak is the table plus one column, not two tables.
        var first = Part(
            numbers: (0..<width).map { _ in [] }, spans: (0..<width).map { _ in [] },
            arenas: (0..<width).map { _ in [] },
            demoted: (0..<width).map { c in results.contains { $0!.demoted[c] } })
        for c in 0..<width {
            first.numbers[c].reserveCapacity(results.reduce(0) { $0 + $1!.numbers[c].count })
            first.spans[c].reserveCapacity(results.reduce(0) { $0 + $1!.spans[c].count })
            first.arenas[c].reserveCapacity(results.reduce(0) { $0 + $1!.arenas[c].count })
            for k in 0..<results.count {
                first.numbers[c].append(contentsOf: results[k]!.numbers[c])
                results[k]!.numbers[c] = []
                let shift = UInt64(first.arenas[c].count) << IdColumn.lengthBits
                first.spans[c].append(contentsOf: results[k]!.spans[c].lazy.map { $0 + shift })
                results[k]!.spans[c] = []
                first.arenas[c].append(contentsOf: results[k]!.arenas[c])
                results[k]!.arenas[c] = []
            }
        }
        results = []
        let rows = guessed.firstIndex(of: true).map { first.numbers[$0].count } ?? first.spans[0].count
        // A column guessed numeric that holds text: its spans, in a second pass.
        let demoted = (0..<width).filter { first.demoted[$0] && !spanned[$0] }
        if !demoted.isEmpty {
            var spans = demoted.map { _ in [UInt64]() }
            var arenas = demoted.map { _ in [UInt8]() }
            guard
                FastScan.forEachLine(
                    bytes, from..<bytes.count, width: width, columns: demoted, releasing: buffer.isMapped,
                    { f in
                        for (k, _) in demoted.enumerated() {
                            let length = f[2 * k + 1] - f[2 * k]
                            guard length <= IdColumn.maxLength else { return false }
                            spans[k].append(IdColumn.arenaSpan(arenas[k].count, length))
                            arenas[k].append(contentsOf: UnsafeBufferPointer(start: base + f[2 * k], count: length))
                        }
                        return true
                    })
            else { return nil }
            for (k, c) in demoted.enumerated() {
                first.spans[c] = spans[k]
                first.arenas[c] = arenas[k]
            }
        }

        var columns: [Table.Column] = []
        var cells: [IdColumn?] = []
        for c in 0..<width {
            let isNumeric = numeric[c] && !first.demoted[c]
            let ids =
                !spanned[c] && isNumeric ? nil : IdColumn(buffer: buffer, spans: first.spans[c], arena: first.arenas[c])
            first.spans[c] = []
            first.arenas[c] = []
            if isNumeric {
                columns.append(.numbers(first.numbers[c]))
            } else {
                columns.append(.text(TextColumn(ids: ids!)))
            }
            first.numbers[c] = []
            cells.append(keep!.contains(names[c]) ? ids : nil)
        }
        return (columns, cells, rows)
    }
}
