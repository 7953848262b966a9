import Foundation
import PodiumApp
import PodiumChecks
import PodiumDomain
import PodiumMetrics

extension ScoreReport {
    /// A short table for people.
    public func text() -> String {
        var lines: [String] = []
        lines.append(
            "\(challenge): scored (primary metric \(primary), \(higherIsBetter ? "higher" : "lower") is better)")
        let width = max(8, metrics.map(\.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        lines.append(pad("metric", width) + "  " + pad("public", 12) + "  private")
        for (m, name) in metrics.enumerated() {
            let cells = Split.allCases.map { split -> String in
                let o = scores[split]![m]
                return o.value.map { formatScore($0) } ?? "—"
            }
            lines.append(pad(name, width) + "  " + pad(cells[0], 12) + "  " + cells[1])
        }
        lines.append("rows scored: public \(rows[.public] ?? 0), private \(rows[.private] ?? 0)")
        if let run {
            lines.append(
                String(
                    format: "bundle run in the sandbox: exit %d, %.2f s CPU, %.2f s wall, %.0f MB peak memory",
                    run.exitCode ?? -1, run.cpuSeconds, run.wallSeconds, run.peakMemoryMB))
        }
        if let intervals {
            for split in Split.allCases {
                if let i = intervals[split] ?? nil {
                    lines.append(
                        "95% interval of \(primary) (\(split.rawValue)): [\(formatScore(i.low)), "
                            + "\(formatScore(i.high))] from \(i.resamples) resamples"
                    )
                } else {
                    lines.append("95% interval of \(primary) (\(split.rawValue)): undefined")
                }
            }
        }
        for (m, name) in metrics.enumerated() {
            for split in Split.allCases {
                if let reason = scores[split]![m].reason {
                    lines.append("note: \(name) is undefined on \(split.rawValue): \(reason)")
                }
            }
        }
        for w in warnings { lines.append("warning: \(w)") }
        for c in checks { lines.append("check \(c.name) (\(c.severity.rawValue)): \(c.message)") }
        return lines.joined(separator: "\n")
    }
}

func formatScore(_ v: Double) -> String {
    let s = String(format: "%.6f", v)
    return s
}
