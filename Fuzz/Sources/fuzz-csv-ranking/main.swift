import FuzzSupport
import PodiumTables

runFuzzer(test)

/// The ranking readers with the fast paths off and on: `RankingSolution.read` (queries, Usage,
/// judged items and relevance) and `RankingSubmission.read` of long-form and list-form files
/// (each query's ranked relevances, ties, unsubmitted queries), or the same refusal. The input
/// is `solution NUL submission`; without a NUL it is the submission of a small solution.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    let solutionBytes: [UInt8]
    let submissionBytes: [UInt8]
    if let nul = input.firstIndex(of: 0) {
        solutionBytes = Array(input[..<nul])
        submissionBytes = Array(input[(nul + 1)...])
    } else {
        solutionBytes = Array(
            "query_id,item_id,relevance,Usage\nq1,a,3,Public\nq1,b,1,Public\nq2,a,2,Private\nq3,c,0,Ignored\n".utf8)
        submissionBytes = input
    }
    let solutionBuffer = InputBytes(solutionBytes)
    guard
        let (solution, fastSolution) = agree(
            bothPaths { reading throws(IntakeError) in
                try RankingSolution.read(
                    solutionBuffer, query: "query_id", item: "item_id", relevance: "relevance", reading: reading)
            }, "RankingSolution.read")
    else { return 0 }
    check(solution.count == fastSolution.count, "\(solution.count) and \(fastSolution.count) queries")
    check(
        solution.usage == fastSolution.usage && solution.itemStart == fastSolution.itemStart
            && solution.relevance == fastSolution.relevance,
        "Usage, item groups or relevance differ")
    for q in 0..<solution.count {
        check(Array(solution.queries.bytes(q)) == Array(fastSolution.queries.bytes(q)), "query \(q) differs")
    }
    for k in 0..<(solution.itemStart.last ?? 0) {
        check(Array(solution.item(k)) == Array(fastSolution.item(k)), "judged item \(k) differs")
    }

    let submission = InputBytes(submissionBytes)
    guard
        let (general, fast) = agree(
            bothPaths { reading throws(IntakeError) in
                try RankingSubmission.read(
                    submission, solution: solution, query: "query_id", item: "item_id",
                    scores: ["score", "prediction"],
                    reading: reading)
            }, "RankingSubmission.read")
    else { return 0 }
    check(general.ranked == fast.ranked, "ranked ranges \(general.ranked.prefix(4)) and \(fast.ranked.prefix(4))")
    check(
        general.relevance == fast.relevance, "relevances \(general.relevance.prefix(8)) and \(fast.relevance.prefix(8))"
    )
    check(
        general.tieStart == fast.tieStart,
        "ties \(String(describing: general.tieStart?.prefix(8))) and \(String(describing: fast.tieStart?.prefix(8)))")
    check(general.unsubmitted == fast.unsubmitted, "unsubmitted \(general.unsubmitted) and \(fast.unsubmitted)")
    return 0
}
