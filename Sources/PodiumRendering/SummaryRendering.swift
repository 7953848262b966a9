import Foundation
import PodiumApp
import PodiumDomain

extension Rescorer.Summary {
    public func text() -> String {
        var lines = [
            "\(dryRun ? "dry run: would re-score" : "re-scored") \(pending) submission\(pending == 1 ? "" : "s") "
                + "against version \(version) in \(String(format: "%.1f", seconds)) s: \(rescored) scored, "
                + "\(rejected) rejected, \(failed) failed",
            "\(moves.count) team\(moves.count == 1 ? "" : "s") changed rank on the public board",
        ]
        for m in moves.prefix(10) {
            lines.append("  \(m.team): \(m.before.map(String.init) ?? "—") → \(m.after.map(String.init) ?? "—")")
        }
        return lines.joined(separator: "\n")
    }
}
