import Foundation
import PodiumChecks
import PodiumTables

/// The dataset checks of a ranking challenge, whose `train.csv` holds interactions under the
/// solution's query and item column names: a held-out (query, item) pair must not appear in
/// train, and both boards need queries. The row-wise checks of id-keyed challenges do not apply.
enum RankingDatasetChecks {
    static func run(folder: String, train: Table, config: ChallengeConfig, reading: Reading) throws(JudgeError)
        -> [Finding]
    {
        let solution: RankingSolution
        do {
            solution = try RankingSolution.read(
                try InputBytes(mapping: "\(folder)/solution.csv"), query: config.columns.query,
                item: config.columns.item,
                relevance: config.columns.relevance, reading: reading)
        } catch {
            throw JudgeError(error, file: "solution.csv")
        }
        return try queryMismatch(folder, solution, config: config) + pairOverlap(train, solution, config: config)
            + splits(solution)
    }

    /// `id_overlap`'s other half, as `publish` compares them: `test.csv`'s queries must be
    /// exactly the solution's.
    static func queryMismatch(_ folder: String, _ solution: RankingSolution, config: ChallengeConfig) throws(JudgeError)
        -> [Finding]
    {
        let comparison: (missing: [String], missingCount: Int, extra: [String], extraCount: Int)
        do {
            let test = try KeyColumn.read(
                try InputBytes(mapping: "\(folder)/test.csv"), column: config.columns.query, file: "test.csv",
                unique: false)
            comparison = test.compare(withQueries: solution)
        } catch {
            throw JudgeError(error, file: "test.csv")
        }
        guard comparison.missingCount > 0 || comparison.extraCount > 0 else { return [] }
        return [
            Finding(
                name: .idOverlap, severity: .block,
                message: IdMismatch.words(
                    missing: comparison.missing, missingCount: comparison.missingCount, extra: comparison.extra,
                    extraCount: comparison.extraCount, what: "queries") + "; publish refuses this",
                evidence: [
                    "solution_queries_not_in_test": Double(comparison.missingCount),
                    "test_queries_not_in_solution": Double(comparison.extraCount),
                ])
        ]
    }

    static func key(_ query: UnsafeBufferPointer<UInt8>, _ item: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        Array(query) + [0x1F] + Array(item)
    }

    /// `id_overlap`: judged pairs of `solution.csv` that `train.csv` already holds.
    static func pairOverlap(_ train: Table, _ solution: RankingSolution, config: ChallengeConfig) -> [Finding] {
        guard let q = train.names.firstIndex(of: config.columns.query),
            let i = train.names.firstIndex(of: config.columns.item)
        else {
            return []
        }
        var known = Set<[UInt8]>(minimumCapacity: train.rows)
        for r in 0..<train.rows { known.insert(key(train.cell(r, q), train.cell(r, i))) }
        var shared = 0
        var judged = 0
        var examples: [String] = []
        for query in 0..<solution.count {
            for k in solution.itemStart[query]..<solution.itemStart[query + 1] {
                judged += 1
                guard known.contains(key(solution.queries.bytes(query), solution.item(k))) else { continue }
                shared += 1
                if examples.count < 5 {
                    examples.append(
                        "\(String(decoding: solution.queries.bytes(query), as: UTF8.self))/\(String(decoding: solution.item(k), as: UTF8.self))"
                    )
                }
            }
        }
        guard shared > 0 else { return [] }
        return [
            Finding(
                name: .idOverlap, severity: .block,
                message:
                    "\(shared) held-out (\(config.columns.query), \(config.columns.item)) pairs of solution.csv also "
                    + "appear in train.csv (first: \(examples.joined(separator: ", "))); a held-out interaction "
                    + "must not be a training row",
                evidence: ["shared_pairs": Double(shared), "share": Double(shared) / Double(max(judged, 1))])
        ]
    }

    /// `public_private_split`: both boards have queries.
    static func splits(_ solution: RankingSolution) -> [Finding] {
        let publicQueries = solution.usage.filter { $0 == .public }.count
        let privateQueries = solution.usage.filter { $0 == .private }.count
        guard publicQueries == 0 || privateQueries == 0 else { return [] }
        return [
            Finding(
                name: .publicPrivateSplit, severity: .warning,
                message: publicQueries == 0 ? "no Public queries" : "no Private queries",
                evidence: ["public_queries": Double(publicQueries), "private_queries": Double(privateQueries)])
        ]
    }
}
