import FuzzSupport
import PodiumTables

runFuzzer(test)

/// `Solution.read` (binary and regression targets) with the fast path off and on: the same
/// refusal, or the same ids, Usage, labels or values (bit for bit), and every id located.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let buffer = InputBytes(bytes(data, size))
    for kind in [TargetKind.binary, .number] {
        guard
            let (general, fast) = agree(
                bothPaths { reading throws(IntakeError) in
                    try Solution.read(buffer, id: "id", target: "label", kind: kind, reading: reading)
                }, "Solution.read(\(kind))")
        else { continue }
        check(general.count == fast.count, "\(general.count) and \(fast.count) rows")
        for i in 0..<general.count {
            check(Array(general.ids.bytes(i)) == Array(fast.ids.bytes(i)), "row \(i): ids differ")
            check(
                fast.locate(fast.ids.bytes(i)) == i && general.locate(general.ids.bytes(i)) == i,
                "row \(i): the id is not found")
        }
        check(general.usage == fast.usage, "Usage \(general.usage.prefix(8)) and \(fast.usage.prefix(8))")
        check(general.binary == fast.binary, "labels \(general.binary.prefix(8)) and \(fast.binary.prefix(8))")
        check(
            general.numbers.count == fast.numbers.count
                && zip(general.numbers, fast.numbers).allSatisfy { same($0, $1) },
            "values \(general.numbers.prefix(8)) and \(fast.numbers.prefix(8))")
    }
    return 0
}
