import Foundation
import Checks
import Metrics

extension ScoreReport {
    /// DESIGN §4's `podium score --json` object.
    public func json() -> JSONValue {
        var scoreSplits: [(String, JSONValue)] = []
        var undefinedSplits: [(String, JSONValue)] = []
        for split in Split.allCases {
            let outcomes = scores[split] ?? []
            scoreSplits.append((split.rawValue, .object(zip(metrics, outcomes).map { ($0, $1.value.map(JSONValue.number) ?? .null) })))
            undefinedSplits.append((split.rawValue, .object(zip(metrics, outcomes).compactMap { m, o in o.reason.map { (m, .string($0)) } })))
        }
        var pairs: [(String, JSONValue)] = [
            ("status", .string("scored")),
            ("challenge", .string(challenge)),
            ("primary", .string(primary)),
            ("scores", .object(scoreSplits)),
            ("undefined", .object(undefinedSplits)),
            ("warnings", .array(warnings.map(JSONValue.string))),
            ("checks", .array(checks.map { $0.json() })),
            ("rows", .object(Split.allCases.map { ($0.rawValue, .integer(rows[$0] ?? 0)) })),
        ]
        if let intervals {
            pairs.append((
                "ci",
                .object(Split.allCases.map { split in
                    guard let i = intervals[split] ?? nil else { return (split.rawValue, .null) }
                    return (split.rawValue, .object([
                        ("metric", .string(primary)), ("level", .number(i.level)), ("low", .number(i.low)),
                        ("high", .number(i.high)), ("resamples", .integer(i.resamples)),
                    ]))
                })
            ))
        }
        pairs.append(("run", run?.json() ?? .null))
        return .object(pairs)
    }

    /// A short table for people.
    public func text() -> String {
        var lines: [String] = []
        lines.append("\(challenge): scored (primary metric \(primary), \(higherIsBetter ? "higher" : "lower") is better)")
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
            lines.append(String(format: "bundle run in the sandbox: exit %d, %.2f s CPU, %.2f s wall, %.0f MB peak memory", run.exitCode ?? -1, run.cpuSeconds, run.wallSeconds, run.peakMemoryMB))
        }
        if let intervals {
            for split in Split.allCases {
                if let i = intervals[split] ?? nil {
                    lines.append("95% interval of \(primary) (\(split.rawValue)): [\(formatScore(i.low)), \(formatScore(i.high))] from \(i.resamples) resamples")
                } else {
                    lines.append("95% interval of \(primary) (\(split.rawValue)): undefined")
                }
            }
        }
        for (m, name) in metrics.enumerated() {
            for split in Split.allCases {
                if let reason = scores[split]![m].reason { lines.append("note: \(name) is undefined on \(split.rawValue): \(reason)") }
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

extension Finding {
    public func json() -> JSONValue {
        .object([
            ("name", .string(name)), ("severity", .string(severity == .warning ? "warning" : severity.rawValue)),
            ("message", .string(message)),
            ("evidence", .object(evidence.keys.sorted().map { ($0, .number(evidence[$0]!)) })),
        ])
    }
}

extension JudgeError {
    /// `{"status": "rejected", "error": {...}}`.
    public func json() -> JSONValue {
        var error: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let row { error.append(("row", .integer(row))) }
        if let column { error.append(("column", .string(column))) }
        if let file { error.append(("file", .string(file))) }
        if let count { error.append(("count", .integer(count))) }
        if let ids { error.append(("ids", .array(ids.map(JSONValue.string)))) }
        var pairs: [(String, JSONValue)] = [("status", .string(isInternal ? "error" : failed ? "failed" : "rejected")), ("error", .object(error))]
        if let run { pairs.append(("run", run.json())) }
        return .object(pairs)
    }
}

extension BundleRunner.Run {
    func json() -> JSONValue {
        .object([
            ("status", .string(status)), ("exit_status", exitCode.map(JSONValue.integer) ?? .null),
            ("signal", signal.map(JSONValue.integer) ?? .null), ("cpu_seconds", .number(cpuSeconds)),
            ("wall_seconds", .number(wallSeconds)), ("peak_memory_mb", .number(peakMemoryMB)),
        ])
    }
}
