import FuzzSupport
import PodiumTables

runFuzzer(test)

/// `Table.read` (the dataset checks' reader) with the fast path off and on: the same refusal,
/// or the same names, rows, column types, numbers (bit for bit), text values and kept cells.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let buffer = InputBytes(bytes(data, size))
    // The fast path needs `keep`: the header's even columns (so the odd ones go without cells).
    let keep: Set<String>
    do {
        let names = try Table.read(
            InputBytes(Array(bytes(data, size).prefix(while: { $0 != 10 && $0 != 13 }))), file: "t.csv"
        ).names
        keep = Set(names.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
    } catch {
        keep = []
    }
    guard
        let (general, fast) = agree(
            bothPaths { reading throws(IntakeError) in
                try Table.read(buffer, file: "t.csv", keep: keep, reading: reading)
            }, "Table.read")
    else { return 0 }
    check(general.names == fast.names, "names \(general.names) and \(fast.names)")
    check(general.rows == fast.rows, "rows \(general.rows) and \(fast.rows)")
    for k in general.names.indices {
        switch (general.columns[k], fast.columns[k]) {
        case (.numbers(let x), .numbers(let y)):
            check(
                x.count == y.count && zip(x, y).allSatisfy { same($0, $1) },
                "column \(k): numbers \(x.prefix(8)) and \(y.prefix(8))")
        case (.text(let x), .text(let y)):
            check(x.codes.count == y.codes.count, "column \(k): \(x.codes.count) and \(y.codes.count) codes")
            for (a, b) in zip(x.codes, y.codes) {
                check((a < 0) == (b < 0), "column \(k): an empty cell on one path only")
                if a >= 0 {
                    check(
                        x.values[Int(a)] == y.values[Int(b)],
                        "column \(k): '\(x.values[Int(a)])' and '\(y.values[Int(b)])'")
                }
            }
        default:
            fail("column \(k) is \(general.columns[k]) on the general path, \(fast.columns[k]) on the fast one")
        }
        check(general.hasCells(k) == fast.hasCells(k), "column \(k): cells kept on one path only")
        if general.hasCells(k) {
            for r in 0..<general.rows {
                check(Array(general.cell(r, k)) == Array(fast.cell(r, k)), "column \(k) row \(r): cells differ")
            }
        }
    }
    return 0
}
