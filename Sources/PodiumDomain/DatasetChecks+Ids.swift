import Foundation
import PodiumChecks
import PodiumTables

/// `id_overlap`'s other half: `test.csv`'s ids against `solution.csv`'s, as `publish` compares
/// them (`inconsistent_ids`), so that `check` reports everything `publish` refuses.
extension DatasetChecks {
    /// Each test row's solution row, or −1 when its id is not in the solution; `nil` when
    /// `test.csv` has no id column.
    static func locate(_ test: Table, _ solution: Solution, id: String) -> [Int]? {
        guard let k = test.names.firstIndex(of: id), test.hasCells(k) else { return nil }
        return (0..<test.rows).map { solution.locate(test.cell($0, k)) ?? -1 }
    }

    /// A blocking `id_overlap` finding when the test ids are not exactly the solution's: the
    /// count and first few either way, and ids `test.csv` repeats.
    static func idMismatch(_ test: Table, _ solution: Solution, rows: [Int]?, id: String) -> [Finding] {
        guard let rows else {
            return [
                Finding(
                    name: .idOverlap, severity: .block,
                    message:
                        "test.csv has no '\(id)' column, so its rows cannot be matched with solution.csv's; publish "
                        + "refuses this"
                )
            ]
        }
        let k = test.names.firstIndex(of: id)!
        var hits = [UInt8](repeating: 0, count: solution.count)
        var extra: [String] = []
        var repeated: [String] = []
        var extraCount = 0
        var repeatedCount = 0
        for (r, s) in rows.enumerated() {
            guard s >= 0 else {
                extraCount += 1
                if extra.count < 5 { extra.append(String(decoding: test.cell(r, k), as: UTF8.self)) }
                continue
            }
            if hits[s] == 1 {
                repeatedCount += 1
                if repeated.count < 5 { repeated.append(solution.ids.string(s)) }
            }
            hits[s] = 1
        }
        var missing: [String] = []
        var missingCount = 0
        for (s, hit) in hits.enumerated() where hit == 0 {
            missingCount += 1
            if missing.count < 5 { missing.append(solution.ids.string(s)) }
        }
        var parts: [String] = []
        if missingCount > 0 || extraCount > 0 {
            parts.append(
                IdMismatch.words(
                    missing: missing, missingCount: missingCount, extra: extra, extraCount: extraCount, what: "ids"))
        }
        if repeatedCount > 0 {
            parts.append("\(repeatedCount) ids repeat in test.csv (first: \(repeated.joined(separator: ", ")))")
        }
        guard !parts.isEmpty else { return [] }
        let matched = rows.count - extraCount
        return [
            Finding(
                name: .idOverlap, severity: .block,
                message: parts.joined(separator: "; ") + "; publish refuses this"
                    + (extraCount > 0 && matched > 0
                        ? ". The label-based checks ran on the \(matched) test rows whose ids match" : ""),
                evidence: [
                    "solution_ids_not_in_test": Double(missingCount), "test_ids_not_in_solution": Double(extraCount),
                    "repeated_test_ids": Double(repeatedCount),
                ])
        ]
    }
}
