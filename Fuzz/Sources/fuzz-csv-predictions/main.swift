import FuzzSupport
import PodiumTables

runFuzzer(test)

/// A submission read against a solution, fast path off and on (`AlignedPredictions.read`):
/// the same refusal (code, row, column, missing ids) or the same values, bit for bit. The
/// input is `solution NUL submission`; without a NUL it is the submission of a small solution.
/// The multiclass readers (no fast path) run on the same input for crashes.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    let solutionBytes: [UInt8]
    let submissionBytes: [UInt8]
    if let nul = input.firstIndex(of: 0) {
        solutionBytes = Array(input[..<nul])
        submissionBytes = Array(input[(nul + 1)...])
    } else {
        solutionBytes = Array("id,label,Usage\n1,0,Public\n2,1,Private\n3,1,Public\nx-4,0,Ignored\n".utf8)
        submissionBytes = input
    }
    let submission = InputBytes(submissionBytes)
    if let solution = try? Solution.read(InputBytes(solutionBytes), id: "id", target: "label", kind: .number) {
        if let (general, fast) = agree(
            bothPaths { reading throws(IntakeError) in
                try AlignedPredictions.read(
                    submission, solution: solution, id: "id", spec: .number(column: "prediction"), reading: reading)
            }, "AlignedPredictions.read")
        {
            check(general.numbers.count == solution.count, "\(general.numbers.count) values for \(solution.count) ids")
            check(
                general.numbers.count == fast.numbers.count
                    && zip(general.numbers, fast.numbers).allSatisfy { same($0, $1) },
                "values \(general.numbers.prefix(8)) and \(fast.numbers.prefix(8))")
        }
    }
    if let solution = try? Solution.read(InputBytes(solutionBytes), id: "id", target: "label", kind: .category(nil)) {
        for column in ["prediction", "label"] {
            if let read = try? AlignedPredictions.read(
                submission, solution: solution, id: "id", spec: .multiclass(column: column, classes: solution.classes))
            {
                check(
                    read.labels.count == solution.count
                        && read.labels.allSatisfy { $0 >= 0 && Int($0) < solution.classes.count },
                    "multiclass labels out of range")
            }
        }
    }
    return 0
}
