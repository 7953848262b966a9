import Foundation
import PodiumChecks
import PodiumMetrics
import PodiumTables
import Yams

/// A challenge's `challenge.yaml`, loaded and validated (DESIGN §2).
public struct ChallengeConfig: Sendable {
    public struct Columns: Sendable {
        public var id = "id", target = "label", prediction = "prediction"
        public var query = "query_id", item = "item_id", relevance = "relevance"
    }
    public struct TimeSplit: Sendable {
        public var column: String
        public var gapSeconds: Double
    }
    public struct Submissions: Sendable {
        public var perDay = 5
        public var total: Int? = nil
        public var final = 2
        public var kinds: [String] = ["predictions"]
    }
    public struct Board: Sendable {
        public var display = "best"
        public var step = 0.001
    }
    public struct Thresholds: Sendable {
        public var warn: Double?
        public var block: Double?
    }
    public struct SandboxLimits: Sendable {
        public var cpuSeconds: Double?, wallSeconds: Double?, memoryMB: Int?, outputMB: Int?, processes: Int?
        /// The size of the bundle's `/tmp` (a tmpfs: what it holds counts toward `memoryMB`).
        public var tmpMB: Int?
        /// The cores a run's thread pools are sized to (OpenMP, BLAS, TensorFlow).
        public var cpus: Int? = nil
        /// The runtimes a bundle may name (`sandbox/runtimes/NAME`); `nil`: `tabular` only.
        public var runtimes: [String]? = nil

        /// The runtimes a bundle may name here.
        public var allowedRuntimes: [String] { runtimes ?? [Self.defaultRuntime] }
        /// The runtime of a bundle that names none.
        public static let defaultRuntime = "tabular"
    }

    public var id: String
    public var title: String
    public var task: TaskKind
    /// The primary metric's name, exactly as configured.
    public var primary: String
    /// Extra metrics, shown but not ranked.
    public var extra: [String] = []
    public var columns = Columns()
    public var threshold = 0.5
    public var classes: [String]? = nil
    public var time: TimeSplit? = nil
    public var submissions = Submissions()
    public var leaderboard = Board()
    public var checks: [CheckName: Thresholds] = [:]
    public var opens: Date? = nil
    public var closes: Date? = nil
    public var sandbox = SandboxLimits()

    /// The primary metric, parsed.
    public var primaryMetric: Metric { Metric(name: primary)! }

    /// Every metric to report: the primary first, then the extras.
    public var metricNames: [String] { [primary] + extra.filter { $0 != primary } }

    static let topKeys = [
        "id", "title", "task", "metric", "metrics", "columns", "threshold", "classes", "time", "submissions",
        "leaderboard", "checks", "opens", "closes", "sandbox",
    ]

    /// Loads `challenge.yaml` from a challenge folder.
    public static func load(folder: String) throws(JudgeError) -> ChallengeConfig {
        let path = (folder as NSString).appendingPathComponent("challenge.yaml")
        if FileManager.default.fileExists(atPath: path) {
            // Never opened for a blocking read unless it is a regular file (a FIFO would hang).
            do { try RegularFile.require(path) } catch { throw JudgeError(error, file: "challenge.yaml") }
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw JudgeError(code: .missingFile, message: "cannot read \(path)", file: "challenge.yaml")
        }
        return try parse(text)
    }

    /// Parses and validates the text of a `challenge.yaml`.
    public static func parse(_ text: String) throws(JudgeError) -> ChallengeConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw JudgeError.invalidChallenge("challenge.yaml is empty")
            }
            root = node
        } catch let error as JudgeError {
            throw error
        } catch YamlError.duplicatedKeysInMapping(let duplicates, _) {
            let key = duplicates.first ?? ""
            throw .invalidChallenge("the key '\(key)' appears twice", line: secondLine(of: key, in: text), key: key)
        } catch let error as YamlError {
            throw .invalidChallenge("not valid YAML: \(error)", line: yamlErrorLine(error))
        } catch {
            throw .invalidChallenge("not valid YAML: \(error)")
        }
        let top = try YAMLMapping(root, path: "")
        try top.only(topKeys)
        guard let id = try top.string("id") else { throw .invalidChallenge("the key 'id' is required", key: "id") }
        guard id.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) != nil else {
            throw .invalidChallenge(
                "the id '\(id)' must be a slug: lower-case letters, digits and '-', 1 to 63 characters, not starting "
                    + "with '-'",
                line: top.line(of: "id"), key: "id")
        }
        guard let taskName = try top.string("task") else {
            throw .invalidChallenge("the key 'task' is required", key: "task")
        }
        guard let task = TaskKind(rawValue: taskName) else {
            throw .invalidChallenge(
                "unknown task '\(taskName)'; use binary, multiclass, regression or ranking", line: top.line(of: "task"),
                key: "task")
        }
        guard let primary = try top.string("metric") else {
            throw .invalidChallenge("the key 'metric' is required", key: "metric")
        }
        var config = ChallengeConfig(id: id, title: try top.string("title") ?? id, task: task, primary: primary)
        try config.checkMetric(primary, line: top.line(of: "metric"), key: "metric")
        if let extra = try top.strings("metrics") {
            for name in extra { try config.checkMetric(name, line: top.line(of: "metrics"), key: "metrics") }
            config.extra = extra
        }
        try config.readColumns(top)
        if let t = try top.number("threshold") { config.threshold = t }
        if let classes = try top.strings("classes") {
            guard task == .multiclass else {
                throw .invalidChallenge(
                    "'classes' applies to multiclass challenges only", line: top.line(of: "classes"), key: "classes")
            }
            guard Set(classes).count == classes.count, classes.count >= 2 else {
                throw .invalidChallenge(
                    "'classes' must list at least two distinct classes", line: top.line(of: "classes"), key: "classes")
            }
            config.classes = classes
        }
        if let time = try top.mapping("time") {
            try time.only(["column", "gap"])
            guard let column = try time.string("column") else {
                throw .invalidChallenge("'time.column' is required", line: time.line, key: "time.column")
            }
            let gapText = try time.string("gap") ?? "0d"
            guard let gap = parseDuration(gapText) else {
                throw .invalidChallenge(
                    "'time.gap' must be a duration like 0d, 12h, 30m, 7d or 2w, not '\(gapText)'",
                    line: time.line(of: "gap"), key: "time.gap")
            }
            config.time = TimeSplit(column: column, gapSeconds: gap)
        }
        try config.readSubmissions(top)
        if let board = try top.mapping("leaderboard") {
            try board.only(["display", "step"])
            if let d = try board.string("display") {
                guard d == "best" || d == "ladder" else {
                    throw .invalidChallenge(
                        "'leaderboard.display' is best or ladder, not '\(d)'", line: board.line(of: "display"),
                        key: "leaderboard.display")
                }
                config.leaderboard.display = d
            }
            if let s = try board.number("step") {
                guard s > 0 else {
                    throw .invalidChallenge(
                        "'leaderboard.step' must be positive", line: board.line(of: "step"), key: "leaderboard.step")
                }
                config.leaderboard.step = s
            }
        }
        if let checks = try top.mapping("checks") { config.checks = try CheckThresholds.validate(checks) }
        for key in ["opens", "closes"] {
            guard let text = try top.string(key) else { continue }
            guard let date = Instants.parseInstant(text) else {
                throw .invalidChallenge(
                    "'\(key)' must be an ISO 8601 time like 2026-12-15T23:59:59Z, not '\(text)'",
                    line: top.line(of: key), key: key)
            }
            if key == "opens" { config.opens = date } else { config.closes = date }
        }
        if let o = config.opens, let c = config.closes, c <= o {
            throw .invalidChallenge("'closes' must be after 'opens'", line: top.line(of: "closes"), key: "closes")
        }
        if let s = try top.mapping("sandbox") {
            try s.only([
                "cpu_seconds", "wall_seconds", "memory_mb", "output_mb", "processes", "tmp_mb", "cpus", "runtimes",
            ])
            config.sandbox = SandboxLimits(
                cpuSeconds: try s.positive("cpu_seconds"), wallSeconds: try s.positive("wall_seconds"),
                memoryMB: try s.integer("memory_mb", min: 1), outputMB: try s.integer("output_mb", min: 1),
                processes: try s.integer("processes", min: 1), tmpMB: try s.integer("tmp_mb", min: 1),
                cpus: try s.integer("cpus", min: 1))
            if let names = try s.strings("runtimes") {
                guard !names.isEmpty else {
                    throw .invalidChallenge(
                        "sandbox.runtimes lists no runtime; name at least one (tabular, deep, embeddings)",
                        line: s.line(of: "runtimes"), key: "sandbox.runtimes")
                }
                for name in names where !BundleManifests.isRuntimeName(name) {
                    throw .invalidChallenge(
                        "sandbox.runtimes: '\(Names.visible(name))' is not a runtime name (a-z, 0-9, - and _)",
                        line: s.line(of: "runtimes"), key: "sandbox.runtimes")
                }
                config.sandbox.runtimes = names
            }
        }
        return config
    }

    func checkMetric(_ name: String, line: Int?, key: String) throws(JudgeError) {
        guard let metric = Metric(name: name) else {
            throw .invalidChallenge(
                "unknown metric '\(name)'; a \(task.rawValue) challenge can use "
                    + "\(Metric.names(for: task).joined(separator: ", "))",
                line: line, key: key)
        }
        guard metric.supports(task) else {
            throw .invalidChallenge(
                "the metric '\(name)' does not apply to a \(task.rawValue) challenge; use one of "
                    + "\(Metric.names(for: task).joined(separator: ", "))",
                line: line, key: key)
        }
    }

    mutating func readColumns(_ top: YAMLMapping) throws(JudgeError) {
        guard let c = try top.mapping("columns") else { return }
        try c.only(["id", "target", "prediction", "query", "item", "relevance"])
        columns.id = try c.string("id") ?? columns.id
        columns.target = try c.string("target") ?? columns.target
        columns.prediction = try c.string("prediction") ?? columns.prediction
        columns.query = try c.string("query") ?? columns.query
        columns.item = try c.string("item") ?? columns.item
        columns.relevance = try c.string("relevance") ?? columns.relevance
    }

    mutating func readSubmissions(_ top: YAMLMapping) throws(JudgeError) {
        guard let s = try top.mapping("submissions") else { return }
        try s.only(["per_day", "total", "final", "kinds"])
        submissions.perDay = try s.integer("per_day", min: 1) ?? submissions.perDay
        submissions.total = try s.integer("total", min: 1)
        submissions.final = try s.integer("final", min: 1) ?? submissions.final
        if let kinds = try s.strings("kinds") {
            for k in kinds where k != "predictions" && k != "bundle" {
                throw .invalidChallenge(
                    "'submissions.kinds' lists predictions and/or bundle, not '\(k)'", line: s.line(of: "kinds"),
                    key: "submissions.kinds")
            }
            submissions.kinds = kinds
        }
    }
}

/// Parses `0d`, `12h`, `30m`, `45s`, `2w` (or a bare number of seconds) into seconds.
func parseDuration(_ text: String) -> Double? {
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
    guard let last = text.last else { return nil }
    if let unit = units[last], let v = Double(text.dropLast()), v >= 0 { return v * unit }
    if let v = Double(text), v >= 0 { return v }
    return nil
}

private func yamlErrorLine(_ error: YamlError) -> Int? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
        return mark.line
    default:
        return nil
    }
}

/// The line of the second top-level-or-nested occurrence of `key:` in the text.
private func secondLine(of key: String, in text: String) -> Int? {
    var seen = 0
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let trimmed = line.drop(while: { $0 == " " })
        if trimmed.hasPrefix(key + ":") {
            seen += 1
            if seen == 2 { return n + 1 }
        }
    }
    return nil
}
