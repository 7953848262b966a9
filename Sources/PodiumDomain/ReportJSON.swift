import Foundation
import PodiumChecks
import PodiumMetrics
import SandboxProtocol

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

    /// The JSON stored with a score row (the same object).
    public func storedJSON() -> String { json().serialized() }
}

extension Finding {
    public func json() -> JSONValue {
        .object([
            ("name", .string(name.rawValue)), ("severity", .string(severity == .warning ? "warning" : severity.rawValue)),
            ("message", .string(message)),
            ("evidence", .object(evidence.keys.sorted().map { ($0, .number(evidence[$0]!)) })),
        ])
    }
}

extension JudgeError {
    /// `{"status": "rejected", "error": {...}}`.
    public func json() -> JSONValue {
        var error: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
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

extension SandboxRun {
    public func json() -> JSONValue {
        .object([
            ("status", .string(verdict.rawValue)), ("exit_status", exitCode.map(JSONValue.integer) ?? .null),
            ("signal", signal.map(JSONValue.integer) ?? .null), ("cpu_seconds", .number(cpuSeconds)),
            ("wall_seconds", .number(wallSeconds)), ("peak_memory_mb", .number(peakMemoryMB)),
        ])
    }
}

extension JudgeError {
    /// The JSON stored with a refused or failed score row (the same object).
    public func storedJSON() -> String { json().serialized() }
}

/// What is read back of a stored report: its checks' names and severities.
public struct StoredReport: Decodable, Sendable {
    public struct Check: Decodable, Sendable {
        public var name: String
        public var severity: String
    }
    public var checks: [Check]?

    /// The stored JSON's checks, or `nil` when it is not a report.
    public static func decode(_ text: String) -> StoredReport? {
        try? JSONDecoder().decode(StoredReport.self, from: Data(text.utf8))
    }
}
