import Checks
import Foundation
import Intake

/// The `probing` submission check: a participant who learns the public labels from the board
/// submits near-copies of an earlier file (a few rows flipped) or constant files. Binary and
/// regression challenges; up to the participant's 20 most recent submissions.
enum Probing {
    /// - Parameters:
    ///   - current: the new predictions file.
    ///   - history: the participant's earlier scored prediction files, oldest first.
    static func check(current: String, history: [String], config: ChallengeConfig) -> Finding? {
        guard config.task == .binary || config.task == .regression, let now = values(current, config) else { return nil }
        let files = history.suffix(19).compactMap { values($0, config) } + [now]
        var tinySteps = 0
        for (a, b) in zip(files, files.dropFirst()) {
            let allowed = max(10, a.count / 1000)
            var differ = 0
            for (id, v) in b where a[id] != v { differ += 1 }
            if differ > 0 && differ <= allowed { tinySteps += 1 }
        }
        let constants = files.filter(isConstant).count
        let nowConstant = isConstant(now)
        guard tinySteps >= 3 || nowConstant else { return nil }
        let hold = tinySteps >= 10 || constants >= 3
        var reasons: [String] = []
        if tinySteps >= 3 { reasons.append("\(tinySteps) submissions differ from the one before in at most \(max(10, now.count / 1000)) rows") }
        if nowConstant { reasons.append("this submission is at least 95% one constant value (\(constants) such submissions)") }
        return Finding(
            name: "probing", severity: hold ? .block : .warning,
            message: reasons.joined(separator: "; ") + " — the pattern of leaderboard probing, which learns the public labels instead of a model",
            evidence: ["tiny_steps": Double(tinySteps), "constant_submissions": Double(constants)])
    }

    static func isConstant(_ values: [String: String]) -> Bool {
        guard !values.isEmpty else { return false }
        var counts: [String: Int] = [:]
        for v in values.values { counts[v, default: 0] += 1 }
        return Double(counts.values.max() ?? 0) >= 0.95 * Double(values.count)
    }

    /// id → prediction text of a predictions CSV (plain files only; anything else is skipped).
    static func values(_ path: String, _ config: ChallengeConfig) -> [String: String]? {
        guard let bytes = try? ByteBuffer(mapping: path), !SubmissionFile.isArchive(bytes.bytes),
            let table = try? Table.read(bytes, file: "submission"),
            let i = table.names.firstIndex(of: config.columns.id), let p = table.names.firstIndex(of: config.columns.prediction)
        else { return nil }
        var out: [String: String] = [:]
        out.reserveCapacity(table.rows)
        for r in 0..<table.rows {
            out[String(decoding: table.cell(r, i), as: UTF8.self)] = String(decoding: table.cell(r, p), as: UTF8.self)
        }
        return out
    }
}
