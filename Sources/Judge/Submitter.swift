import Checks
import Foundation
import Intake
import Store

/// `podium submit`: checks the deadlines and limits, stores the file by content, evaluates
/// it, records the result, and says what a student may see.
public enum Submitter {
    public struct Receipt: Sendable {
        public var submission: SubmissionRecord
        public var report: ScoreReport?
        public var error: JudgeError?
        public var rankBefore: Int?
        public var rankAfter: Int?
        public var teamCount: Int
        /// Whether private scores may be shown (after `closes`).
        public var revealPrivate: Bool
        /// What the student may see of the public scores (the Ladder's, before the close).
        public var visibility: ScoreVisibility
        /// The Ladder's answer to this submission, under `display: ladder`.
        public var shown: Double? = nil
        /// Scores on the board that wait for a re-score on the current version.
        public var pending = 0
    }

    public static func submit(_ name: String, file: String, as raw: String, message: String?, home: Home) throws(JudgeError) -> Receipt {
        let participant = try participantName(raw)
        Trace.start()
        let challenge = try home.open(name)
        let config = challenge.config
        let now = currentTime()
        let team = try teamOf(participant, challenge)
        // One private copy of the bytes: what is stored is exactly what is scored.
        let raw: ByteBuffer
        do { raw = try ByteBuffer(reading: file, nonRegular: .notASubmission) } catch { throw JudgeError(error) }
        let before = try BoardData.load(challenge)
        let rankBefore = Boards.build(.public, data: before, config: config, version: challenge.version.number, challenge: challenge.id).rank(of: team)
        Trace.mark("read, board before")
        var record = SubmissionRecord(
            participant: participant, team: team, fileSha256: "", fileName: (file as NSString).lastPathComponent,
            message: message, submittedAt: timestamp(now), day: utcDay(now), late: challenge.closed(at: now),
            status: "received", version: challenge.version.number)
        let notOpen = config.opens.map { now < $0 } ?? false
        // Store the file (fsynced, renamed into place) while scoring it; the row that names the
        // file commits only after both.
        let files = home.files(challenge.id)
        let version = challenge.version.number
        let work = concurrentMap(notOpen ? 1 : 2) { k -> Swift.Result<Any, JudgeError> in
            if k == 0 {
                return raw.bytes.withUnsafeBytes { bytes in
                    Swift.Result { () throws(JudgeError) in try storeCall { () throws(StoreError) in try files.store(bytes: bytes) } as Any }
                }
            }
            return Evaluation.score(challenge, version: version, config: config, path: file, bytes: raw).map { $0 as Any }
        }
        Trace.mark("stored and evaluated")
        switch work[0] {
        case .success(let digest): record.fileSha256 = digest as! String
        case .failure(let error): throw error
        }
        var result: Evaluation.Result? = nil
        if notOpen {
            record.status = "rejected"
            record.errorCode = "not_open"
            record.errorMessage = "the challenge opens at \(timestamp(config.opens!))"
        } else {
            var outcome = work[1].map { $0 as! ScoreReport }
            // Probing: compare with the fingerprints of the team's recent scored files.
            Evaluation.probing(&outcome, challenge, team: team, before: nil)
            result = Evaluation.result(outcome, submissionId: 0, version: version)
            record.status = result!.score.status
            if let error = result!.error {
                record.errorCode = error.code
                record.errorMessage = error.message
                record.errorRow = error.row
                record.errorColumn = error.column
            }
        }
        record = try storeCall { () throws(StoreError) in
            try challenge.database.receive(
                record, perDay: config.submissions.perDay, total: config.submissions.total, score: result?.score, probe: result?.report?.probe?.data)
        }
        Trace.mark("recorded")
        if record.errorCode == nil, Evaluation.holds(result?.report), let id = record.id {
            try storeCall { () throws(StoreError) in try challenge.database.hold(id, true) }
            record.held = true
        }
        if record.errorCode == "limit_reached" || record.errorCode == "not_open" {
            let error = JudgeError(code: record.errorCode!, message: record.errorMessage ?? "")
            return Receipt(
                submission: record, report: nil, error: error, rankBefore: rankBefore, rankAfter: rankBefore, teamCount: 0, revealPrivate: false,
                visibility: ScoreVisibility(config, closed: challenge.closed(at: now), audience: .student))
        }
        let after = try BoardData.load(challenge)
        let board = Boards.build(.public, data: after, config: config, version: version, challenge: challenge.id)
        Trace.mark("board after")
        let ladder = config.leaderboard.display == "ladder"
        return Receipt(
            submission: record, report: result?.report, error: result?.error, rankBefore: rankBefore, rankAfter: board.rank(of: team),
            teamCount: board.entries.count, revealPrivate: challenge.closed(at: now),
            visibility: ScoreVisibility(config, closed: challenge.closed(at: now), audience: .student),
            shown: ladder ? record.id.flatMap { Ladder.answers(after, config: config, version: version, teams: [team])[$0] } : nil,
            pending: board.pending)
    }

    /// `--as`: a name by DESIGN §7 (trimmed, lower-cased), else `invalid_name`; nothing at all is
    /// a usage error.
    public static func participantName(_ raw: String) throws(JudgeError) -> String {
        if let name = Names.canonical(raw) { return name }
        if Names.trimmed(raw).isEmpty { throw JudgeError(code: "usage", message: "--as needs a name") }
        throw JudgeError(code: "invalid_name", message: Names.refusal(raw, what: "--as"))
    }

    /// The participant's team from the published `teams.csv`, else the participant.
    static func teamOf(_ participant: String, _ challenge: PublishedChallenge) throws(JudgeError) -> String {
        let path = challenge.home.versionFolder(challenge.id, challenge.version.number) + "/teams.csv"
        guard FileManager.default.fileExists(atPath: path) else { return participant }
        let bytes: ByteBuffer
        do { bytes = try ByteBuffer(mapping: path) } catch { throw JudgeError(error, file: "teams.csv") }
        return try Teams.read(bytes, strict: false).team(of: participant)
    }
}

extension Submitter.Receipt {
    /// A score the student may see: private ones only after the close (never asked for before),
    /// public ones through `ScoreVisibility` (metric `k`; the primary is the first).
    func visible(_ split: Split, _ k: Int, _ outcome: Outcome) -> Double? {
        split == .public ? visibility.publicValue(exact: outcome.value, shown: shown, primary: k == 0) : outcome.value
    }

    /// What the student sees: never a private score before the close.
    public func json() -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("status", .string(submission.status)),
            ("submission", .integer(Int(submission.id ?? 0))),
            ("participant", .string(submission.participant)),
            ("team", .string(submission.team)),
            ("late", .bool(submission.late)),
            ("held", .bool(submission.held)),
        ]
        if let report {
            var scores: [(String, JSONValue)] = []
            for split in revealPrivate ? [Split.public, .private] : [.public] {
                let values = report.scores[split] ?? []
                scores.append((split.rawValue, .object(zip(report.metrics, values).enumerated().map { k, pair in
                    (pair.0, visible(split, k, pair.1).map(JSONValue.number) ?? .null)
                })))
            }
            pairs.append(("primary", .string(report.primary)))
            if let step = visibility.ladderStep { pairs.append(("ladder_step", .number(step))) }
            pairs.append(("scores", .object(scores)))
            pairs.append(("warnings", .array(report.warnings.map(JSONValue.string))))
            pairs.append(("checks", .array(report.checks.map { $0.json() })))
        }
        if let error { pairs.append(("error", error.json().objectValue("error") ?? .null)) }
        pairs.append(("rank", .object([
            ("before", rankBefore.map(JSONValue.integer) ?? .null), ("after", rankAfter.map(JSONValue.integer) ?? .null),
            ("of", .integer(teamCount)), ("pending", .integer(pending)),
        ])))
        return .object(pairs)
    }

    public func text() -> String {
        var lines = ["submission \(submission.id ?? 0) by \(submission.participant)\(submission.team != submission.participant ? " (team \(submission.team))" : ""): \(submission.status)\(submission.late ? " (late: scored, not ranked)" : "")"]
        if let error { lines.append("\(error.code): \(error.description.dropFirst(error.code.count + 2))") }
        if let run = report?.run ?? error?.run {
            lines.append(String(format: "bundle run in the sandbox: %@, %.2f s CPU, %.2f s wall, %.0f MB peak memory", run.status, run.cpuSeconds, run.wallSeconds, run.peakMemoryMB))
        }
        if let report {
            for split in revealPrivate ? [Split.public, .private] : [.public] {
                let values = report.scores[split] ?? []
                for (k, (name, v)) in zip(report.metrics, values).enumerated() {
                    let value = visible(split, k, v)
                    let why = v.value == nil ? v.reason ?? "" : ScoreVisibility.withheld
                    let ladder = split == .public && k == 0 ? visibility.ladderStep.map { " (the Ladder's shown score, step \(formatScore($0)))" } ?? "" : ""
                    lines.append("\(split.rawValue) \(name): \(value.map { formatScore($0) + ladder } ?? "— (\(why))")")
                }
            }
            for w in report.warnings { lines.append("warning: \(w)") }
            for c in report.checks { lines.append("check \(c.name): \(c.message)") }
        }
        if submission.held {
            lines.append("held off the public leaderboard until an instructor clears it (see the checks above)")
        } else if !submission.late && submission.status == "scored" {
            let now = rankAfter.map { "rank \($0) of \(teamCount)" } ?? "not on the board"
            let was = rankBefore.map { "was \($0)" } ?? "new on the board"
            let wait = pending == 0 ? "" : "; \(pending) score\(pending == 1 ? "" : "s") on it wait for a re-score on version \(submission.version)"
            lines.append("public leaderboard: \(now) (\(was))\(wait)")
        }
        return lines.joined(separator: "\n")
    }
}

extension JSONValue {
    /// The value under `key` of an object.
    func objectValue(_ key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

import Metrics
