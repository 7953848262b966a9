import Foundation
import PodiumChecks
import PodiumRendering
import SandboxProtocol
import Testing

@testable import PodiumApp
@testable import PodiumDomain
@testable import PodiumMetrics

/// The JSON of the outside, encoded in process and read back with `JSONSerialization`: the exact
/// keys, nulls and values, so that a change of shape fails here before a consumer sees it.
@Suite("JSON shapes of the outside")
struct JSONShapeTests {
    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    func child(_ object: [String: Any], _ key: String) throws -> [String: Any] {
        try #require(object[key] as? [String: Any], "\(key) in \(object)")
    }

    func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    func isNull(_ value: Any?) -> Bool { value is NSNull }

    static let run = SandboxRun(verdict: .ok, exitCode: 0, cpuSeconds: 1.25, wallSeconds: 2.5, peakMemoryMB: 80)

    /// AUC undefined on the private split, a bootstrap interval on the public split only, a
    /// finding with a non-finite statistic, and a bundle run.
    static func report(intervals: Bool, run: SandboxRun?) -> ScoreReport {
        var report = ScoreReport(
            challenge: "flights", primary: "auc", higherIsBetter: true, metrics: ["auc", "f1"],
            scores: [
                .public: [.value(0.1 + 0.2), .value(1.0)],
                .private: [.undefined("only one class present"), .value(1e-300)],
            ])
        report.warnings = ["3 rows have no prediction"]
        report.checks = [
            Finding(
                name: .perfectScore, severity: .warning, message: "a perfect score",
                evidence: ["z": 3.5, "ratio": .infinity])
        ]
        report.rows = [.public: 10, .private: 12]
        if intervals {
            report.intervals = [.public: Interval(low: 0.25, high: 0.5, level: 0.95, resamples: 1000), .private: nil]
        }
        report.run = run
        return report
    }

    /// The scores of a report, read back exactly (`JSONSerialization` may round the last digit).
    struct Scores: Decodable {
        var scores: [String: [String: Double?]]
    }

    @Test func scoreReport() throws {
        let text = PodiumJSON.encode(ScoreReportBody(Self.report(intervals: true, run: Self.run)))
        let exact = try JSONDecoder().decode(Scores.self, from: Data(text.utf8)).scores
        #expect(exact["public"]?["auc"] == 0.1 + 0.2, "doubles round-trip: \(text)")
        #expect(exact["private"]?["f1"] == 1e-300, "doubles round-trip: \(text)")
        let json = try object(text)
        let keys: Set<String> = [
            "status", "challenge", "primary", "scores", "undefined", "warnings", "checks", "rows", "ci", "run",
        ]
        #expect(Set(json.keys) == keys)
        #expect(json["status"] as? String == "scored" && json["challenge"] as? String == "flights")
        #expect(json["primary"] as? String == "auc")
        let scores = try child(json, "scores")
        #expect(Set(scores.keys) == ["public", "private"])
        let pub = try child(scores, "public")
        let priv = try child(scores, "private")
        #expect(Set(pub.keys) == ["auc", "f1"] && Set(priv.keys) == ["auc", "f1"])
        #expect(number(pub["f1"]) == 1.0 && number(priv["f1"]) == 1e-300)
        #expect(isNull(priv["auc"]), "an undefined metric is null")
        let undefined = try child(json, "undefined")
        #expect(try child(undefined, "public").isEmpty)
        #expect(try child(undefined, "private") as? [String: String] == ["auc": "only one class present"])
        #expect(json["warnings"] as? [String] == ["3 rows have no prediction"])
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.count == 1 && Set(checks[0].keys) == ["name", "severity", "message", "evidence"])
        #expect(checks[0]["name"] as? String == "perfect_score" && checks[0]["severity"] as? String == "warning")
        let evidence = try child(checks[0], "evidence")
        #expect(number(evidence["z"]) == 3.5 && isNull(evidence["ratio"]), "a non-finite number is null")
        let rows = try child(json, "rows")
        #expect(rows["public"] as? Int == 10 && rows["private"] as? Int == 12)
        let ci = try child(json, "ci")
        #expect(Set(ci.keys) == ["public", "private"] && isNull(ci["private"]))
        let interval = try child(ci, "public")
        #expect(Set(interval.keys) == ["metric", "level", "low", "high", "resamples"])
        #expect(interval["metric"] as? String == "auc" && interval["resamples"] as? Int == 1000)
        #expect(number(interval["level"]) == 0.95 && number(interval["low"]) == 0.25 && number(interval["high"]) == 0.5)
        let run = try child(json, "run")
        #expect(Set(run.keys) == ["status", "exit_status", "signal", "cpu_seconds", "wall_seconds", "peak_memory_mb"])
        #expect(run["status"] as? String == "ok" && run["exit_status"] as? Int == 0 && isNull(run["signal"]))
        #expect(number(run["cpu_seconds"]) == 1.25 && number(run["wall_seconds"]) == 2.5)
        #expect(number(run["peak_memory_mb"]) == 80)
    }

    @Test func scoreReportWithoutIntervalOrRun() throws {
        let report = Self.report(intervals: false, run: nil)
        let text = report.storedJSON()
        #expect(text == PodiumJSON.encode(ScoreReportBody(report)), "the stored report is the printed one")
        #expect(!text.contains("\n"), "one line")
        let json = try object(text)
        #expect(json["ci"] == nil, "no interval asked for: no ci key")
        #expect(json.keys.contains("run") && isNull(json["run"]), "a predictions file: run is null")
        let stored = try #require(StoredReport.decode(text))
        #expect(stored.checks?.map(\.name) == ["perfect_score"] && stored.checks?.map(\.severity) == ["warning"])
    }

    @Test func rejection() throws {
        var error = JudgeError(
            code: ErrorCode(rawValue: "duplicate_id"), message: "id a/1 appears twice", row: 17, column: "id")
        error.ids = ["a/1", "b"]
        error.count = 2
        let text = error.storedJSON()
        #expect(text == PodiumJSON.encode(ErrorBody(error)))
        #expect(text.contains("a/1"), "slashes are not escaped")
        let json = try object(text)
        #expect(Set(json.keys) == ["status", "error"] && json["status"] as? String == "rejected")
        let detail = try child(json, "error")
        #expect(Set(detail.keys) == ["code", "message", "row", "column", "count", "ids"], "no file: no file key")
        #expect(detail["code"] as? String == "duplicate_id" && detail["message"] as? String == "id a/1 appears twice")
        #expect(detail["row"] as? Int == 17 && detail["column"] as? String == "id" && detail["count"] as? Int == 2)
        #expect(detail["ids"] as? [String] == ["a/1", "b"])
    }

    @Test func failureAndBug() throws {
        var failed = JudgeError(code: ErrorCode(Verdict.memoryLimit), message: "the bundle used more than 256 MB")
        failed.failed = true
        failed.run = SandboxRun(verdict: .memoryLimit, signal: 9, cpuSeconds: 0.5, wallSeconds: 0.75, peakMemoryMB: 256)
        let json = try object(PodiumJSON.encode(ErrorBody(failed)))
        #expect(Set(json.keys) == ["status", "error", "run"] && json["status"] as? String == "failed")
        #expect(Set(try child(json, "error").keys) == ["code", "message"])
        let run = try child(json, "run")
        #expect(run["status"] as? String == "memory_limit" && isNull(run["exit_status"]) && run["signal"] as? Int == 9)
        var bug = JudgeError(code: .internalFailure, message: "oops")
        bug.isInternal = true
        let judged = try object(PodiumJSON.encode(ErrorBody(bug)))
        let detail = try child(judged, "error")
        #expect(judged["status"] as? String == "error" && detail["code"] as? String == "internal")
    }

    static func board(intervals: Bool) -> Board {
        var alice = BoardEntry(
            rank: 1, team: "alice", score: 1.5, submissionId: 3, submittedAt: "2026-01-01T00:00:00.000Z", entries: 2)
        var bob = BoardEntry(
            rank: 2, team: "bob", score: 2, submissionId: 4, submittedAt: "2026-01-02T00:00:00.000Z", entries: 1)
        alice.scoredVersion = 2
        bob.scoredVersion = 1
        if intervals {
            alice.interval = (1.0, 2.25)
            bob.interval = (1.75, 2.5)
            bob.tiedWithAbove = true
        }
        var board = Board(
            kind: intervals ? .private : .public, challenge: "arena", metric: "mae", higherIsBetter: false, version: 2,
            entries: [alice, bob])
        board.pending = 1
        return board
    }

    static let boardKeys: Set<String> = [
        "challenge", "board", "metric", "higher_is_better", "version", "ladder_step", "tie_note", "pending", "entries",
    ]
    static let entryKeys: Set<String> = [
        "rank", "team", "score", "submission", "entries", "submitted_at", "ci_low", "ci_high", "tied_with_above",
        "scored_version",
    ]

    @Test func boardWithIntervals() throws {
        let board = Self.board(intervals: true)
        let text = board.render(.json)
        #expect(text == PodiumJSON.encode(BoardBody(board)))
        let json = try object(text)
        #expect(Set(json.keys) == Self.boardKeys)
        #expect(json["board"] as? String == "private" && json["metric"] as? String == "mae")
        #expect(json["higher_is_better"] as? Bool == false && json["version"] as? Int == 2)
        #expect(json["pending"] as? Int == 1 && isNull(json["ladder_step"]))
        #expect((json["tie_note"] as? String)?.hasPrefix("≈ (tied_with_above)") == true)
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.count == 2 && entries.allSatisfy { Set($0.keys) == Self.entryKeys })
        #expect(entries[0]["team"] as? String == "alice" && entries[0]["rank"] as? Int == 1)
        #expect(number(entries[0]["score"]) == 1.5 && entries[0]["submission"] as? Int == 3)
        #expect(number(entries[0]["ci_low"]) == 1.0 && number(entries[0]["ci_high"]) == 2.25)
        #expect(entries[0]["tied_with_above"] as? Bool == false && entries[1]["tied_with_above"] as? Bool == true)
        #expect(entries[0]["scored_version"] as? Int == 2 && entries[1]["scored_version"] as? Int == 1)
        #expect(entries[1]["submitted_at"] as? String == "2026-01-02T00:00:00.000Z")
        #expect(entries[1]["entries"] as? Int == 1)
    }

    @Test func boardWithoutIntervals() throws {
        var board = Self.board(intervals: false)
        board.ladderStep = 0.5
        board.entries[1].score = .nan
        let json = try object(board.render(.json))
        #expect(Set(json.keys) == Self.boardKeys && json["board"] as? String == "public")
        #expect(number(json["ladder_step"]) == 0.5)
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.allSatisfy { Set($0.keys) == Self.entryKeys })
        #expect(entries.allSatisfy { isNull($0["ci_low"]) && isNull($0["ci_high"]) }, "no interval: null, not absent")
        #expect(isNull(entries[1]["score"]), "a non-finite score is null, not a crash")
    }

    @Test func listingRowKeysFollowTheReader() throws {
        var row = ListingRow(
            id: 7, participant: "alice", team: "alice", submittedAt: "2026-01-01T00:00:00.000Z", status: .failed,
            late: false, selected: false, held: true, file: "a.csv", sha256: "00", publicScore: nil, privateScore: nil,
            shownScore: nil, ladderStep: nil, scoredVersion: nil, pending: false,
            error: ErrorDetail(JudgeError(code: ErrorCode(Verdict.nonzeroExit), message: "exited with status 1")),
            message: nil)
        let student = try object(PodiumJSON.encode(row))
        #expect(
            Set(student.keys) == [
                "id", "participant", "team", "submitted_at", "status", "late", "selected", "held", "file", "sha256",
                "public", "scored_version", "pending", "error",
            ])
        #expect(isNull(student["public"]) && isNull(student["scored_version"]) && student["id"] as? Int == 7)
        let error = try child(student, "error") as? [String: String]
        #expect(error == ["code": "nonzero_exit", "message": "exited with status 1"])
        row.privateScore = .some(nil)
        row.shownScore = .some(0.5)
        row.ladderStep = 0.25
        row.message = "note"
        let listed = try JSONSerialization.jsonObject(with: Data(PodiumJSON.encode([row]).utf8)) as? [[String: Any]]
        let instructor = try #require(listed?.first)
        #expect(isNull(instructor["private"]) && number(instructor["shown"]) == 0.5)
        #expect(number(instructor["ladder_step"]) == 0.25 && instructor["message"] as? String == "note")
    }
}
