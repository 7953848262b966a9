import Foundation
import PodiumDomain

/// What a participant asks before submitting: which challenges there are, whether each is
/// open, its deadlines and limits, and how many submissions they have left today and when the
/// day resets (`podium challenges`, `podium info`; the server's `GET /challenges`).
public enum Catalog {
    /// Every published challenge of the store, by id; with `participant`, that participant's
    /// (team's) remaining submissions.
    public static func challenges(services: Services, participant: String?) throws(JudgeError) -> [ChallengeSummary] {
        let who = try participant.map { raw throws(JudgeError) in try Submitter.participantName(raw) }
        var out: [ChallengeSummary] = []
        for id in try services.challenges.challengeIds() {
            out.append(try summary(services.open(id), services: services, participant: who))
        }
        return out
    }

    /// One challenge in full: the summary and its public files.
    public static func info(_ name: String, services: Services, participant: String?) throws(JudgeError)
        -> ChallengeInfo
    {
        let who = try participant.map { raw throws(JudgeError) in try Submitter.participantName(raw) }
        let challenge = try services.open(name)
        let folder = challenge.folder(challenge.version.number)
        var files: [PublicFile] = []
        for file in publicFiles {
            let path = folder + "/" + file
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { continue }
            files.append(PublicFile(name: file, bytes: size, sha256: try services.blobs.hash(file: path)))
        }
        return ChallengeInfo(
            summary: try summary(challenge, services: services, participant: who), files: files)
    }

    /// The files a participant may download: never `solution.csv`.
    static let publicFiles = ["train.csv", "test.csv"]

    static func summary(_ challenge: PublishedChallenge, services: Services, participant: String?) throws(JudgeError)
        -> ChallengeSummary
    {
        let config = challenge.config
        let now = services.clock.now()
        var summary = ChallengeSummary(
            id: challenge.id, title: config.title, task: config.task.rawValue, metric: config.primary,
            higherIsBetter: config.primaryMetric.higherIsBetter, state: ChallengeSummary.State(config, at: now),
            opens: config.opens.map(Instants.timestamp), closes: config.closes.map(Instants.timestamp),
            version: challenge.version.number, perDay: config.submissions.perDay, total: config.submissions.total,
            final: config.submissions.final, kinds: config.submissions.kinds)
        if let participant {
            let team = try Submitter.teamOf(participant, challenge)
            let day = Instants.utcDay(now)
            let counts = try challenge.records.counts(team: team, day: day)
            summary.participant = participant
            summary.team = team
            summary.remainingToday = max(0, config.submissions.perDay - counts.today)
            summary.remainingTotal = config.submissions.total.map { max(0, $0 - counts.overall) }
            summary.dayResetsAt = Instants.timestamp(nextUTCMidnight(after: now))
        }
        return summary
    }

    /// The next 00:00 UTC after `now`: when a per-day limit starts again.
    public static func nextUTCMidnight(after now: Date) -> Date {
        let seconds = now.timeIntervalSince1970
        return Date(timeIntervalSince1970: (seconds / 86_400).rounded(.down) * 86_400 + 86_400)
    }
}

/// A challenge as a participant sees it before submitting.
public struct ChallengeSummary: Encodable, Sendable, Equatable {
    public enum State: String, Encodable, Sendable {
        case upcoming, open, closed

        init(_ config: ChallengeConfig, at now: Date) {
            if let opens = config.opens, now < opens {
                self = .upcoming
            } else if let closes = config.closes, now > closes {
                self = .closed
            } else {
                self = .open
            }
        }
    }

    public var id: String
    public var title: String
    public var task: String
    public var metric: String
    public var higherIsBetter: Bool
    public var state: State
    public var opens: String?
    public var closes: String?
    public var version: Int
    public var perDay: Int
    public var total: Int?
    public var final: Int
    public var kinds: [String]
    /// With a participant: who, their team, and what is left.
    public var participant: String? = nil
    public var team: String? = nil
    public var remainingToday: Int? = nil
    public var remainingTotal: Int? = nil
    public var dayResetsAt: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, title, task, metric
        case higherIsBetter = "higher_is_better"
        case state, opens, closes, version
        case perDay = "per_day"
        case total, final, kinds, participant, team
        case remainingToday = "remaining_today"
        case remainingTotal = "remaining_total"
        case dayResetsAt = "day_resets_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(task, forKey: .task)
        try c.encode(metric, forKey: .metric)
        try c.encode(higherIsBetter, forKey: .higherIsBetter)
        try c.encode(state, forKey: .state)
        try c.encode(opens, forKey: .opens)
        try c.encode(closes, forKey: .closes)
        try c.encode(version, forKey: .version)
        try c.encode(perDay, forKey: .perDay)
        try c.encode(total, forKey: .total)
        try c.encode(final, forKey: .final)
        try c.encode(kinds, forKey: .kinds)
        try c.encodeIfPresent(participant, forKey: .participant)
        try c.encodeIfPresent(team, forKey: .team)
        if participant != nil {
            try c.encode(remainingToday, forKey: .remainingToday)
            try c.encode(remainingTotal, forKey: .remainingTotal)
            try c.encode(dayResetsAt, forKey: .dayResetsAt)
        }
    }
}

/// `podium info`: the summary and the files a participant may download.
public struct ChallengeInfo: Encodable, Sendable, Equatable {
    public var summary: ChallengeSummary
    public var files: [PublicFile]

    public func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(files, forKey: .files)
    }

    enum Key: String, CodingKey { case files }
}

/// A public file of a challenge version.
public struct PublicFile: Encodable, Sendable, Equatable {
    public var name: String
    public var bytes: Int
    public var sha256: String
}
