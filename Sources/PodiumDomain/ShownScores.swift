import Foundation

/// Who is looking at a score. The local CLI has one trusted operator, so the command decides:
/// `submit`, `submissions --as NAME` and the public leaderboard (every format) are what a
/// student sees; `submissions` without `--as`, `leaderboard --private --reveal`, `score`,
/// `check` and `rescore` are the instructor's.
public enum Audience: Sendable {
    case student, instructor
}

/// DESIGN §4's one rule for public scores: with `display: ladder`, until `closes`, a student
/// sees only the Ladder's shown score of the primary metric, never the exact one (nor the
/// other metrics' public values, which would give it away); instructors, and everyone after
/// the close, see exact scores. Every output that prints a public score asks `publicValue`.
public struct ScoreVisibility: Sendable {
    /// The Ladder step when this audience sees only the Ladder's scores; nil = exact scores.
    public let ladderStep: Double?

    public init(_ config: ChallengeConfig, closed: Bool, audience: Audience) {
        ladderStep =
            config.leaderboard.display == "ladder" && !closed && audience == .student ? config.leaderboard.step : nil
    }

    /// What this audience may see of a public score: `exact`, or under the Ladder the Ladder's
    /// answer `shown` for the primary metric and nothing for the others.
    public func publicValue(exact: Double?, shown: Double?, primary: Bool) -> Double? {
        guard ladderStep != nil else { return exact }
        return primary ? shown : nil
    }

    /// Why a public value is missing under the Ladder (for text outputs).
    public static let withheld = "withheld under the Ladder until the challenge closes"
}

/// The Ladder (Blum & Hardt 2015): a team's shown public score changes only when a submission
/// beats it by more than the step, and is then that submission's score rounded to the step.
public enum Ladder {
    /// The shown score after a submission scoring `score`, given the shown score before it
    /// (nil: the team's first).
    static func next(_ shown: Double?, _ score: Double, step: Double, higherIsBetter: Bool) -> Double {
        guard let shown else { return round(score, step) }
        let margin = higherIsBetter ? score - shown : shown - score
        return margin > step ? round(score, step) : shown
    }

    static func round(_ v: Double, _ step: Double) -> Double { (v / step).rounded() * step }

    /// The Ladder's answer to every submission with a public score as of `version` (of the
    /// `teams` given, else of all): its team's shown score right after it. Only submissions
    /// that count on the public board (on time, not held) move the team's shown score, as on
    /// the board itself; a held or late one gets the answer it would have had, without moving it.
    public static func answers(_ data: BoardData, config: ChallengeConfig, version: Int, teams: Set<String>? = nil)
        -> [Int64: Double]
    {
        let step = config.leaderboard.step
        let higher = config.primaryMetric.higherIsBetter
        let submissions = data.submissions
        var byTeam: [String: [Int]] = [:]
        for (i, s) in submissions.enumerated() where teams?.contains(s.team) ?? true {
            byTeam[s.team, default: []].append(i)
        }
        var out: [Int64: Double] = [:]
        for (_, list) in byTeam {
            // Rows come in id order, which is nearly always time order: sort only when it is not.
            let inOrder = zip(list, list.dropFirst()).allSatisfy {
                submissions[$0].submittedAt <= submissions[$1].submittedAt
            }
            let ordered =
                inOrder
                ? list
                : list.sorted {
                    (submissions[$0].submittedAt, submissions[$0].id) < (
                        submissions[$1].submittedAt, submissions[$1].id
                    )
                }
            var shown: Double? = nil
            for i in ordered {
                let s = submissions[i]
                guard let score = data.score(s.id, asOf: version), score.status == .scored, let v = score.publicPrimary
                else { continue }
                let answer = next(shown, v, step: step, higherIsBetter: higher)
                out[s.id] = answer
                if !s.late && !s.held { shown = answer }
            }
        }
        return out
    }
}
