import Foundation

/// Whether a challenge takes a submission now: the opening date, then the per-day and total
/// limits of the team. A pure decision: each store applies it inside the transaction that
/// counts the team's submissions and inserts the new one, so concurrent submitters are
/// counted one after another.
public enum Admission {
    /// What the store counted for the team, in the transaction.
    public struct Counts: Sendable, Equatable {
        /// Counting submissions (queued, running or scored) on the submission's UTC day.
        public var today: Int
        /// Counting submissions overall.
        public var overall: Int

        public init(today: Int, overall: Int) {
            self.today = today
            self.overall = overall
        }
    }

    /// Before counting: a challenge that has not opened refuses everything.
    public static func opening(_ config: ChallengeConfig, at now: Date) -> JudgeError? {
        guard let opens = config.opens, now < opens else { return nil }
        return JudgeError(code: .notOpen, message: "the challenge opens at \(Instants.timestamp(opens))")
    }

    /// With the team's counts: `limit_reached` at `per_day` submissions on the UTC day or
    /// `total` overall. Rejected and failed submissions never count.
    public static func limits(_ limits: ChallengeConfig.Submissions, team: String, day: String, counts: Counts)
        -> JudgeError?
    {
        if counts.today >= limits.perDay {
            return JudgeError(
                code: .limitReached,
                message:
                    "\(team) has used its \(limits.perDay) submissions for \(day) (UTC); the next day starts at "
                    + "00:00 UTC"
            )
        }
        if let total = limits.total, counts.overall >= total {
            return JudgeError(
                code: .limitReached, message: "\(team) has used all \(total) submissions of this challenge")
        }
        return nil
    }

    /// Refusals decided before evaluation: the row is stored, never evaluated, never pending.
    public static func isRefusal(_ code: ErrorCode?) -> Bool { code == .limitReached || code == .notOpen }
}
