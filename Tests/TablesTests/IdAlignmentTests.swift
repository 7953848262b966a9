import Foundation
import PodiumParallel
import Testing

@testable import PodiumTables

/// Alignment by id for every id shape and order: the fast path (large unquoted files, key
/// tables) must give each solution row its own submission value — checked against a
/// dictionary built here — and refuse exactly as the general reader does (same code, row,
/// message, count and first ids), whatever the order of either file.
@Suite("Id alignment: every id shape and order")
struct IdAlignmentTests {
    /// Rows enough for both files to take the fast path (over 256 KB).
    static let rows = 24_000

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func shuffle<T>(_ a: inout [T]) {
            for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(next() % UInt64(i + 1))) }
        }
    }

    /// Distinct ids of one shape, in random order.
    static func ids(_ shape: String) -> [String] {
        var random = Random(state: UInt64(shape.utf8.count) &* 977)
        var out: [String] = []
        var seen: Set<String> = []
        func add(_ id: String) { if seen.insert(id).inserted { out.append(id) } }
        while out.count < rows {
            let r = random.next()
            switch shape {
            case "random integers":
                // Canonical integers only (the integer keys), negative ones included.
                let v = Int64(r % 1_000_000_000_000)
                add(String(r % 5 == 0 ? -v : v))
            case "spellings of one number":
                // Byte strings that a number parser would conflate: all distinct ids.
                let v = r % 4_000
                for form in ["\(v)", "0\(v)", "+\(v)", "-\(v)", "\(v).0", "00\(v)"] { add(form) }
                add("-0")
                add("0")
            case "uuids":
                let a = random.next()
                let b = random.next()
                let hex = String(format: "%016llx%016llx", a, b)
                let c = Array(hex)
                add(
                    "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
                )
            case "prefixed":
                add(String(format: "tx-%06llu", r % 1_000_000))
            default:
                // Integers too long for a 64-bit key, beside short ones.
                add(r % 2 == 0 ? "\(r)\(r % 1000)0000000" : "\(r % 100_000)")
            }
        }
        return Array(out.prefix(rows))
    }

    static let shapes = ["random integers", "spellings of one number", "uuids", "prefixed", "long integers"]

    /// The solution's rows as (id, label, usage) lines, and each id's score.
    static func data(_ shape: String, sortedSolution: Bool) -> (
        ids: [String], solution: String, scores: [String: Double]
    ) {
        var ids = ids(shape)
        if sortedSolution {
            // (length, bytes) order: the solution needs no table until a row comes out of order.
            ids.sort {
                $0.utf8.count != $1.utf8.count
                    ? $0.utf8.count < $1.utf8.count : Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
            }
        }
        var random = Random(state: 31)
        var text = "id,label,Usage\n"
        var scores: [String: Double] = [:]
        for id in ids {
            let y = random.next() % 5 == 0 ? 1 : 0
            text += "\(id),\(y),\(random.next() % 3 == 0 ? "Public" : "Private")\n"
            scores[id] = Double(random.next() % 1_000_000) / 1_000_000
        }
        return (ids, text, scores)
    }

    /// A submission of `lines` (id, value); `quote` wraps one id of another row in quotes so
    /// that the general reader runs.
    static func submission(_ lines: [(String, String)], quote: Int? = nil) -> String {
        var text = "id,prediction\n"
        for (k, line) in lines.enumerated() {
            text += (k == quote ? "\"\(line.0)\"" : line.0) + "," + line.1 + "\n"
        }
        return text
    }

    static func align(_ solution: String, _ submission: String) -> Result<[Double], IntakeError> {
        Result { () throws(IntakeError) -> [Double] in
            let s = try Solution.read(InputBytes(solution), id: "id", target: "label", kind: .binary)
            return try AlignedPredictions.read(
                InputBytes(submission), solution: s, id: "id", spec: .number(column: "prediction")
            ).numbers
        }
    }

    static let orders = ["same", "reversed", "shuffled", "one block moved", "a few swaps"]

    static func order(_ name: String, _ count: Int) -> [Int] {
        var order = Array(0..<count)
        var random = Random(state: 99)
        switch name {
        case "reversed": order.reverse()
        case "shuffled": random.shuffle(&order)
        case "one block moved":
            let block = order[1000..<3000]
            order.removeSubrange(1000..<3000)
            order.insert(contentsOf: block, at: order.count - 500)
        case "a few swaps":
            for _ in 0..<20 { order.swapAt(Int(random.next() % UInt64(count)), Int(random.next() % UInt64(count))) }
        default: break
        }
        return order
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let shape: String
        let sortedSolution: Bool
        var testDescription: String { "\(shape), solution \(sortedSolution ? "sorted" : "unsorted")" }
    }

    static let cases = shapes.flatMap {
        [Case(shape: $0, sortedSolution: false), Case(shape: $0, sortedSolution: true)]
    }

    @Test(arguments: cases)
    func everyOrderAlignsEachIdToItsOwnValue(_ c: Case) throws {
        let (ids, solution, scores) = Self.data(c.shape, sortedSolution: c.sortedSolution)
        #expect(solution.utf8.count > Reading.standard.fastPathMinimumBytes)
        let expected = ids.map { scores[$0]! }
        for name in Self.orders {
            let lines = Self.order(name, ids.count).map { (ids[$0], String(scores[ids[$0]]!)) }
            let fast = try Self.align(solution, Self.submission(lines)).get()
            #expect(fast == expected, "\(c.testDescription), submission \(name)")
            let general = try Self.align(solution, Self.submission(lines, quote: 7)).get()
            #expect(general == expected, "\(c.testDescription), submission \(name), general reader")
        }
    }

    /// An id that is not in the solution though it spells one of its numbers (or is near one).
    static func stranger(_ id: String, among ids: Set<String>) -> String {
        for candidate in ["0" + id, "+" + id, id + ".0", id + "x", "x" + id] where !ids.contains(candidate) {
            return candidate
        }
        return "never-" + id
    }

    @Test(arguments: cases)
    func errorsAreTheGeneralReadersInEveryOrder(_ c: Case) throws {
        let (ids, solution, scores) = Self.data(c.shape, sortedSolution: c.sortedSolution)
        let known = Set(ids)
        for name in ["same", "shuffled"] {
            let order = Self.order(name, ids.count)
            let lines = order.map { (ids[$0], String(scores[ids[$0]]!)) }

            // An id given twice: refused at the later row, in file order.
            var twice = lines
            twice[15_000].0 = lines[9_000].0
            try Self.expectSameError(solution, twice, code: .duplicateID, row: 15_002, c, name)

            // An id the solution does not have, however close to one of its ids.
            var stranger = lines
            stranger[12_345].0 = Self.stranger(lines[12_345].0, among: known)
            try Self.expectSameError(solution, stranger, code: .unknownID, row: 12_347, c, name)

            // Missing ids: the count and the first five in the solution's order.
            var fewer = lines
            let dropped = Set([3, 400, 5_000, 11_111, 17_000, 20_000, 23_999])
            fewer = fewer.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
            let missingRows = dropped.map { order[$0] }.sorted()
            let error = try Self.expectSameError(solution, fewer, code: .missingID, row: nil, c, name)
            #expect(error?.count == dropped.count)
            #expect(error?.ids == missingRows.prefix(5).map { ids[$0] }, "\(c.testDescription), \(name)")
        }
    }

    @discardableResult
    static func expectSameError(
        _ solution: String, _ lines: [(String, String)], code: IntakeError.Code, row: Int?, _ c: Case, _ order: String
    ) throws -> IntakeError? {
        let place = "\(c.testDescription), submission \(order), \(code)"
        guard case .failure(let fast) = align(solution, submission(lines)) else {
            Issue.record("accepted: \(place)")
            return nil
        }
        guard case .failure(let general) = align(solution, submission(lines, quote: 1)) else {
            Issue.record("accepted by the general reader: \(place)")
            return nil
        }
        #expect(fast.code == code && fast.row == row, "\(place): \(fast)")
        #expect(fast == general, "\(place)")
        return fast
    }

    @Test(arguments: shapes)
    func aRepeatedSolutionIdIsRefusedOnEveryPath(_ shape: String) throws {
        var ids = Self.ids(shape)
        ids[20_000] = ids[6_000]
        ids[21_000] = ids[3_000]
        var lines = ids.map { "\($0),0,Public" }
        let large = "id,label,Usage\n" + lines.joined(separator: "\n") + "\n"
        lines[1] = "\"\(ids[1])\",0,Public"  // a quote: the general reader
        let general = "id,label,Usage\n" + lines.joined(separator: "\n") + "\n"
        for text in [large, general] {
            do {
                _ = try Solution.read(InputBytes(text), id: "id", target: "label", kind: .binary)
                Issue.record("accepted")
            } catch {
                #expect(error.code == .duplicateID)
                #expect(
                    error.message == "the solution.csv lists the id '\(ids[6_000])' twice (data rows 6001 and 20001)",
                    "\(error)")
            }
        }
    }

    @Test func integerKeysAreExactSpellings() {
        func key(_ s: String) -> UInt64? { Array(s.utf8).withUnsafeBufferPointer { IdKey.integer($0) } }
        #expect(key("0") == 0 && key("7") == 7 && key("-7") == (1 << 63) | 7)
        #expect(key("999999999999999999") == 999_999_999_999_999_999)
        for other in [
            "", "-", "-0", "00", "07", "+7", "7.0", "7 ", " 7", "1e3", "0x1", "1000000000000000000", "--7", "7-",
        ] {
            #expect(key(other) == nil, "\(other)")
        }
    }

    /// Thousands of copies of one id crowd a single region of the key table: the table falls
    /// back to one region and still reports the first repeat.
    @Test(arguments: ["random integers", "uuids"])
    func manyCopiesOfOneIdAreOneRepeat(_ shape: String) throws {
        var ids = Self.ids(shape)
        for i in 5_000..<ids.count { ids[i] = ids[5_000] }
        let text = "id,label,Usage\n" + ids.map { "\($0),1,Private" }.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > Reading.standard.fastPathMinimumBytes)
        do {
            _ = try Solution.read(InputBytes(text), id: "id", target: "label", kind: .binary)
            Issue.record("accepted")
        } catch {
            #expect(
                error.message == "the solution.csv lists the id '\(ids[5_000])' twice (data rows 5001 and 5002)",
                "\(error)")
        }
    }

    /// Ids whose 64-bit hashes collide are still told apart by their bytes.
    @Test func collidingHashesAreVerifiedByBytes() {
        let buffer = InputBytes("apple,pear,plum,fig,apple")
        let spans: [UInt64] = [(0, 5), (6, 4), (11, 4), (16, 3), (20, 5)].map {
            (UInt64($0.0) << IdColumn.lengthBits) | UInt64($0.1)
        }
        let distinct = IdColumn(buffer: buffer, spans: Array(spans.prefix(4)))
        let (table, duplicate) = KeyTable.build(
            [UInt64](repeating: 42, count: 4), mode: .hashed, ids: distinct, parallelism: .allCores)
        #expect(duplicate == nil)
        var batch = KeyBatch()
        defer { batch.deallocate() }
        distinct.view { view in
            for i in [2, 0, 3, 1] { batch.append(key: 42, id: view.bytes(i), value: 0) }
            table.find(batch, view)
        }
        #expect(Array(UnsafeBufferPointer(start: batch.rows, count: 4)) == [2, 0, 3, 1])
        let repeated = IdColumn(buffer: buffer, spans: spans)
        let second = KeyTable.build(
            [UInt64](repeating: 42, count: 5), mode: .hashed, ids: repeated, parallelism: .allCores
        ).duplicate
        #expect(second?.first == 0 && second?.second == 4)
    }

    /// A large batch is looked up in the order of its table blocks (and stored in the order of its
    /// rows' blocks): each id still gets its own row, unknown ids none, in both key modes.
    @Test(arguments: ["random integers", "uuids"])
    func largeBatchesFindEveryRow(_ shape: String) {
        let ids = Self.ids(shape)
        var text = ""
        var spans: [UInt64] = []
        for id in ids {
            spans.append((UInt64(text.utf8.count) << IdColumn.lengthBits) | UInt64(id.utf8.count))
            text += id + ","
        }
        let column = IdColumn(buffer: InputBytes(text), spans: spans)
        var (mode, keys) = IdKey.keys(column, .allCores)
        let (table, duplicate) = KeyTable.build(&keys, mode: mode, ids: column, parallelism: .allCores)
        #expect(duplicate == nil)
        var random = Random(state: 7)
        var wanted: [Int] = []
        for _ in 0..<KeyBatch.capacity - 8 { wanted.append(Int(random.next() % UInt64(ids.count))) }
        // Ids the column lacks (an integer-keyed column's fast path never looks up a
        // non-integer id: its key cannot exist).
        let known = Set(ids)
        let unknown =
            (mode == .integer
            ? ["999999999999999999", "-999999999999999998", "123456789012345"]
            : ["x" + ids[0], ids[1] + "x", "0" + ids[2]])
            .filter { !known.contains($0) }
        var batch = KeyBatch()
        defer { batch.deallocate() }
        let probes = wanted.map { ids[$0] } + unknown
        let expected = wanted + [Int](repeating: -1, count: unknown.count)
        for (k, id) in probes.enumerated() {
            var bytes = Array(id.utf8)
            let key = bytes.withUnsafeBufferPointer { IdKey.of($0, mode) } ?? 0
            // The batch keeps pointers to the ids' bytes: the probes' text lives as long as it.
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = copy.initialize(from: bytes)
            bytes.removeAll()
            batch.append(key: key, id: UnsafeBufferPointer(copy), value: Double(k))
        }
        let total = batch.count
        defer { for k in 0..<total { UnsafeMutableRawPointer(mutating: batch.starts[k]).deallocate() } }
        column.view { view in table.find(batch, view) }
        #expect(Array(UnsafeBufferPointer(start: batch.rows, count: batch.count)) == expected)
        // The store order of the found rows: a permutation, ascending by block of row, batch
        // order within a block.
        batch.count = wanted.count
        batch.sortOrder(by: batch.rows, below: ids.count)
        let order = (0..<batch.count).map { Int(batch.order[$0]) }
        #expect(order.sorted() == Array(0..<batch.count))
        let shift = max(0, (Int.bitWidth - (ids.count - 1).leadingZeroBitCount) - KeyBatch.blockBits)
        let blocks = order.map { wanted[$0] >> shift }
        #expect(Set(blocks).count > 1000)
        var sorted = true
        for j in 1..<order.count {
            let (a, b) = (blocks[j - 1], blocks[j])
            if a > b || (a == b && order[j - 1] > order[j]) { sorted = false }
        }
        #expect(sorted)
    }
}
