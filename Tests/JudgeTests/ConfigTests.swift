import PodiumDomain
import Testing

@Suite("challenge.yaml is validated with the key and the line")
struct ConfigTests {
    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let key: String
        let line: Int?
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(
            name: "unknown top-level key", yaml: "id: a\ntask: binary\nmetric: auc\ncolour: red\n", key: "colour",
            line: 4),
        Bad(
            name: "unknown nested key", yaml: "id: a\ntask: binary\nmetric: auc\ncolumns:\n  id: x\n  labels: y\n",
            key: "columns.labels", line: 6),
        Bad(name: "unknown metric", yaml: "id: a\ntask: binary\nmetric: aucc\n", key: "metric", line: 3),
        Bad(name: "metric of another task", yaml: "id: a\ntask: regression\nmetric: auc\n", key: "metric", line: 3),
        Bad(
            name: "unknown extra metric", yaml: "id: a\ntask: ranking\nmetric: ndcg@10\nmetrics: [precision@0]\n",
            key: "metrics", line: 4),
        Bad(name: "bad slug", yaml: "id: Fraud_2026\ntask: binary\nmetric: auc\n", key: "id", line: 1),
        Bad(name: "slug starting with a dash", yaml: "id: -fraud\ntask: binary\nmetric: auc\n", key: "id", line: 1),
        Bad(name: "wrong type", yaml: "id: a\ntask: binary\nmetric: auc\nthreshold: high\n", key: "threshold", line: 4),
        Bad(name: "list expected", yaml: "id: a\ntask: binary\nmetric: auc\nmetrics: f1\n", key: "metrics", line: 4),
        Bad(name: "unknown task", yaml: "id: a\ntask: clustering\nmetric: auc\n", key: "task", line: 2),
        Bad(name: "missing metric", yaml: "id: a\ntask: binary\n", key: "metric", line: nil),
        Bad(name: "bad time", yaml: "id: a\ntask: binary\nmetric: auc\ncloses: next week\n", key: "closes", line: 4),
        Bad(
            name: "bad gap", yaml: "id: a\ntask: binary\nmetric: auc\ntime:\n  column: t\n  gap: soon\n",
            key: "time.gap", line: 6),
        Bad(
            name: "negative per_day", yaml: "id: a\ntask: binary\nmetric: auc\nsubmissions:\n  per_day: -1\n",
            key: "submissions.per_day", line: 5),
        Bad(
            name: "zero tmp_mb", yaml: "id: a\ntask: binary\nmetric: auc\nsandbox:\n  tmp_mb: 0\n",
            key: "sandbox.tmp_mb", line: 5),
        Bad(
            name: "fractional tmp_mb", yaml: "id: a\ntask: binary\nmetric: auc\nsandbox:\n  tmp_mb: 1.5\n",
            key: "sandbox.tmp_mb", line: 5),
        Bad(
            name: "negative wall_seconds", yaml: "id: a\ntask: binary\nmetric: auc\nsandbox:\n  wall_seconds: -1\n",
            key: "sandbox.wall_seconds", line: 5),
        Bad(
            name: "zero cpu_seconds", yaml: "id: a\ntask: binary\nmetric: auc\nsandbox:\n  cpu_seconds: 0\n",
            key: "sandbox.cpu_seconds", line: 5),
        Bad(name: "duplicate key", yaml: "id: a\ntask: binary\nmetric: auc\nmetric: f1\n", key: "metric", line: 4),
        Bad(
            name: "unknown check", yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  target_leak: {warn: 0.9}\n",
            key: "checks.target_leak", line: 5),
        Bad(
            name: "check without thresholds",
            yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  id_overlap: {block: 0.5}\n", key: "checks.id_overlap",
            line: 5),
        Bad(
            name: "threshold above 1",
            yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  id_order_leak: {warn: 0.6, block: 2}\n",
            key: "checks.id_order_leak.block", line: 5),
        Bad(
            name: "negative threshold",
            yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  group_leak:\n    warn: -0.1\n",
            key: "checks.group_leak.warn", line: 6),
        Bad(
            name: "warn above block",
            yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  target_leak_feature:\n    block: 0.9\n    warn: 0.95\n",
            key: "checks.target_leak_feature.warn", line: 7),
        Bad(
            name: "warn above the default block",
            yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  group_leak: {warn: 0.5}\n",
            key: "checks.group_leak.warn", line: 5),
        Bad(
            name: "block below the default warn",
            yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  target_leak_feature: {block: 0.9}\n",
            key: "checks.target_leak_feature.block", line: 5),
        Bad(
            name: "warn for a check that has none",
            yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  duplicate_rows: {warn: 0.1, block: 0.8}\n",
            key: "checks.duplicate_rows.warn", line: 5),
        Bad(
            name: "threshold not a number",
            yaml: "id: a\ntask: binary\nmetric: auc\nchecks:\n  group_leak: {block: high}\n",
            key: "checks.group_leak.block", line: 5),
    ]

    @Test(arguments: bad)
    func refused(_ c: Bad) {
        do {
            _ = try ChallengeConfig.parse(c.yaml)
            Issue.record("accepted")
        } catch {
            #expect(error.code.rawValue == "invalid_challenge")
            #expect(error.column == c.key, "\(error)")
            #expect(error.row == c.line, "\(error)")
        }
    }

    @Test func fullExampleParses() throws {
        let yaml = """
            id: fraud-2026
            title: Card fraud detection
            task: binary
            metric: auc
            metrics: [f1, average_precision]
            columns:
              id: id
              target: label
              prediction: prediction
            threshold: 0.4
            time:
              column: timestamp
              gap: 2d
            submissions:
              per_day: 5
              total: 100
              final: 2
              kinds: [predictions, bundle]
            leaderboard:
              display: ladder
              step: 0.001
            checks:
              target_leak_feature: {warn: 0.95, block: 0.999}
            opens: 2026-11-01T00:00:00Z
            closes: 2026-12-15T23:59:59Z
            sandbox:
              cpu_seconds: 60
              wall_seconds: 120
              memory_mb: 2048
              output_mb: 64
              processes: 32
              tmp_mb: 512
            """
        let c = try ChallengeConfig.parse(yaml)
        #expect(c.id == "fraud-2026")
        #expect(c.metricNames == ["auc", "f1", "average_precision"])
        #expect(c.threshold == 0.4)
        #expect(c.time?.gapSeconds == 172_800.0)
        #expect(c.submissions.total == 100)
        #expect(c.leaderboard.display == "ladder")
        #expect(c.checks[.targetLeakFeature]?.block == 0.999)
        #expect(c.closes!.timeIntervalSince1970 == 1_797_379_199)
        #expect(c.sandbox.memoryMB == 2048)
        #expect(c.sandbox.tmpMB == 512)
    }
}
