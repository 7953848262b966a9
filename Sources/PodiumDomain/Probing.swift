import Foundation
import PodiumChecks
import PodiumTables

/// The `probing` submission check: a participant who learns the public labels from the board
/// submits near-copies of an earlier file (a few rows flipped) or constant files. Binary and
/// regression challenges; up to the team's 20 most recent submissions, compared by their
/// stored fingerprints (`ProbeSignature`), never by re-reading their files.
public enum Probing {
    /// - Parameters:
    ///   - current: the new predictions' fingerprint.
    ///   - history: the team's earlier scored submissions' fingerprints, oldest first.
    public static func check(current now: ProbeSignature, history: [ProbeSignature]) -> Finding? {
        let files = history.suffix(19) + [now]
        var tinySteps = 0
        for (a, b) in zip(files, files.dropFirst()) {
            let allowed = Double(max(10, a.rows / 1000))
            if let differ = b.differingRows(from: a), differ > 0.5, differ <= allowed { tinySteps += 1 }
        }
        let constants = files.filter(\.constant).count
        guard tinySteps >= 3 || now.constant else { return nil }
        let hold = tinySteps >= 10 || constants >= 3
        var reasons: [String] = []
        if tinySteps >= 3 {
            reasons.append(
                "\(tinySteps) submissions differ from the one before in at most \(max(10, now.rows / 1000)) rows")
        }
        if now.constant {
            reasons.append("this submission is at least 95% one constant value (\(constants) such submissions)")
        }
        return Finding(
            name: .probing, severity: hold ? .block : .warning,
            message: reasons.joined(separator: "; ")
                + " — the pattern of leaderboard probing, which learns the public labels instead of a model",
            evidence: ["tiny_steps": Double(tinySteps), "constant_submissions": Double(constants)])
    }
}
