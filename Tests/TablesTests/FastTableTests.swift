import Foundation
import PodiumParallel
import Testing

@testable import PodiumTables

/// The fast table path (large unquoted files, both halves at once) against the general reader.
@Suite("Fast table reader")
struct FastTableTests {
    /// A 400k-row file: numbers with gaps and NA words, text, ids, a column that looks numeric
    /// for its first 5,000 rows and then holds text, CRLF line ends.
    static func file(crlf: Bool = false) -> [UInt8] {
        var text = "id,x,city,late,note\(crlf ? "\r" : "")\n"
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for r in 0..<400_000 {
            let x = r % 97 == 0 ? "" : r % 89 == 0 ? "NA" : String(Double(next() % 100_000) / 1000)
            let city = r % 50 == 0 ? "" : "c\(next() % 300)"
            let late = r < 5_000 ? String(r) : (r % 3 == 0 ? "t\(r % 7)" : String(r))
            text += "\(1_000_000 + r),\(x),\(city),\(late),n\(r % 11)\(crlf ? "\r" : "")\n"
        }
        return Array(text.utf8)
    }

    static func same(_ a: Table, _ b: Table, keep: [Int]) {
        #expect(a.names == b.names && a.rows == b.rows)
        for k in a.names.indices {
            switch (a.columns[k], b.columns[k]) {
            case (.numbers(let x), .numbers(let y)):
                #expect(
                    x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(a.names[k])")
            case (.text(let x), .text(let y)):
                // Codes may be numbered alike (first appearance); the decoded cells must match.
                #expect(x.codes.count == y.codes.count)
                #expect(
                    zip(x.codes, y.codes).allSatisfy {
                        ($0 < 0 && $1 < 0) || ($0 >= 0 && $1 >= 0 && x.values[Int($0)] == y.values[Int($1)])
                    }, "\(a.names[k])")
            default:
                Issue.record("column \(a.names[k]) has different types")
            }
        }
        for k in keep {
            #expect((0..<a.rows).allSatisfy { Array(a.cell($0, k)) == Array(b.cell($0, k)) })
        }
    }

    @Test(arguments: [false, true])
    func agreesWithTheGeneralReader(_ crlf: Bool) throws {
        let buffer = InputBytes(Self.file(crlf: crlf))
        let general = try Table.read(buffer, file: "t.csv")
        let fast = try Table.read(buffer, file: "t.csv", keep: ["id", "city"])
        #expect(fast.rows == 400_000)
        // The fast path takes this file (it would return nil and leave it to the general reader).
        let headerEnd = Self.file(crlf: crlf).firstIndex(of: 10)! + 1
        #expect(FastTable.read(buffer, from: headerEnd, names: general.names, keep: ["id"], reading: .standard) != nil)
        // Numeric columns without their bytes.
        #expect(!fast.hasCells(1) && fast.hasCells(0) && fast.hasCells(2) && !fast.hasCells(3))
        if case .text = fast.columns[3] {} else { Issue.record("'late' turns to text after row 5,000") }
        Self.same(fast, general, keep: [0, 2])
    }

    /// A numeric cell over the general reader's 1 MB cell limit, in a column whose cells the
    /// fast path does not keep: both paths refuse it alike (the fast path accepted it).
    @Test func cellsOverOneMegabyteAreRefusedOnBothPaths() throws {
        let long = "0." + String(repeating: "0", count: IdColumn.maxLength) + "1"
        let buffer = InputBytes("id,x\n1,2.5\n2,\(long)\n3,4\n")
        #expect(buffer.count >= Reading.standard.fastPathMinimumBytes)
        for keep in [nil, Set(["id"])] {
            let refusal = IntakeError(.malformedCSV, "an id longer than 1 MB", row: 3, column: "x")
            #expect(throws: refusal, "keep \(String(describing: keep))") {
                try Table.read(buffer, file: "t.csv", keep: keep)
            }
        }
    }

    @Test func quotedFilesFallBackToTheGeneralReader() throws {
        var bytes = Self.file()
        bytes += Array("2000000,1.5,\"quoted, city\",7,n1\n".utf8)
        let table = try Table.read(InputBytes(bytes), file: "t.csv", keep: ["id", "city"])
        guard case .text(let city) = table.columns[2] else {
            Issue.record("city is text")
            return
        }
        #expect(city.values.contains("quoted, city") && table.rows == 400_001)
    }
}
