import Foundation
import PodiumChecks
import PodiumMetrics
import SandboxProtocol

/// DESIGN §4's `podium score --json` object, and the report stored with a score row.
public struct ScoreReportBody: Encodable, Sendable, Equatable {
    public var status = "scored"
    public var challenge: String
    public var primary: String
    /// Each split's value of every metric by name: `null` when undefined on the split.
    public var scores: [String: [String: Double?]]
    /// Why a metric is undefined, by split and metric.
    public var undefined: [String: [String: String]]
    public var warnings: [String]
    public var checks: [FindingBody]
    /// Each split's row count (queries, for ranking).
    public var rows: [String: Int]
    /// The primary metric's interval by split (`null` when there is none); absent unless asked for.
    public var ci: [String: IntervalBody?]?
    /// The bundle run; `null` for a predictions file.
    public var run: SandboxRunBody?

    enum CodingKeys: String, CodingKey {
        case status, challenge, primary, scores, undefined, warnings, checks, rows, ci, run
    }

    public init(_ report: ScoreReport) {
        challenge = report.challenge
        primary = report.primary
        var scores: [String: [String: Double?]] = [:]
        var undefined: [String: [String: String]] = [:]
        for split in Split.allCases {
            let outcomes = zip(report.metrics, report.scores[split] ?? [])
            scores[split.rawValue] = Dictionary(outcomes.map { ($0, $1.value) }, uniquingKeysWith: { a, _ in a })
            undefined[split.rawValue] = Dictionary(
                outcomes.compactMap { m, o in o.reason.map { (m, $0) } }, uniquingKeysWith: { a, _ in a })
        }
        self.scores = scores
        self.undefined = undefined
        warnings = report.warnings
        checks = report.checks.map(FindingBody.init)
        rows = Dictionary(uniqueKeysWithValues: Split.allCases.map { ($0.rawValue, report.rows[$0] ?? 0) })
        ci = report.intervals.map { intervals in
            Dictionary(
                uniqueKeysWithValues: Split.allCases.map { split in
                    (split.rawValue, (intervals[split] ?? nil).map { IntervalBody($0, metric: report.primary) })
                })
        }
        run = report.run.map(SandboxRunBody.init)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(challenge, forKey: .challenge)
        try c.encode(primary, forKey: .primary)
        var splits = c.nestedContainer(keyedBy: JSONKey.self, forKey: .scores)
        for (split, values) in scores { try splits.encodeNumbers(values, forKey: JSONKey(split)) }
        try c.encode(undefined, forKey: .undefined)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(checks, forKey: .checks)
        try c.encode(rows, forKey: .rows)
        if let ci {
            var intervals = c.nestedContainer(keyedBy: JSONKey.self, forKey: .ci)
            for (split, interval) in ci { try intervals.encodeOrNull(interval, forKey: JSONKey(split)) }
        }
        try c.encodeOrNull(run, forKey: .run)
    }
}

/// A bootstrap interval of the primary metric.
public struct IntervalBody: Encodable, Sendable, Equatable {
    public var metric: String
    public var level: Double
    public var low: Double
    public var high: Double
    public var resamples: Int

    enum CodingKeys: String, CodingKey {
        case metric, level, low, high, resamples
    }

    public init(_ interval: Interval, metric: String) {
        self.metric = metric
        level = interval.level
        low = interval.low
        high = interval.high
        resamples = interval.resamples
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(metric, forKey: .metric)
        try c.encodeNumber(level, forKey: .level)
        try c.encodeNumber(low, forKey: .low)
        try c.encodeNumber(high, forKey: .high)
        try c.encode(resamples, forKey: .resamples)
    }
}

extension ScoreReport {
    /// The JSON stored with a score row (the `podium score --json` object).
    public func storedJSON() -> String { PodiumJSON.encode(ScoreReportBody(self)) }
}

/// What is read back of a stored report: its checks' names and severities.
public struct StoredReport: Decodable, Sendable {
    public struct Check: Decodable, Sendable {
        public var name: String
        public var severity: String
    }
    public var checks: [Check]?
    /// Each split's value of every metric by name (`null`: undefined).
    public var scores: [String: [String: Double?]]?
    public var warnings: [String]?
    public var primary: String?

    /// The stored JSON's checks, or `nil` when it is not a report.
    public static func decode(_ text: String) -> StoredReport? {
        try? JSONDecoder().decode(StoredReport.self, from: Data(text.utf8))
    }
}
