import Foundation
import PodiumDomain
import Testing

/// The pure admission rule the stores apply in their transaction.
@Suite("Admission: the opening date and the limits")
struct AdmissionTests {
    struct LimitCase: Sendable, CustomTestStringConvertible {
        var perDay: Int
        var total: Int?
        var today: Int
        var overall: Int
        /// The start of the refusal's message, or `nil` when admitted.
        var refusal: String?
        var testDescription: String {
            "per_day \(perDay), total \(total.map(String.init) ?? "none"), \(today) today, \(overall) overall"
        }
    }

    static let limitCases: [LimitCase] = [
        LimitCase(perDay: 5, total: nil, today: 0, overall: 0, refusal: nil),
        LimitCase(perDay: 5, total: nil, today: 4, overall: 40, refusal: nil),
        LimitCase(
            perDay: 5, total: nil, today: 5, overall: 5,
            refusal: "owls has used its 5 submissions for 2026-11-10 (UTC)"),
        LimitCase(perDay: 5, total: nil, today: 6, overall: 6, refusal: "owls has used its 5 submissions"),
        LimitCase(perDay: 1, total: nil, today: 1, overall: 1, refusal: "owls has used its 1 submissions"),
        LimitCase(perDay: 2, total: 3, today: 1, overall: 2, refusal: nil),
        LimitCase(perDay: 2, total: 3, today: 0, overall: 3, refusal: "owls has used all 3 submissions"),
        LimitCase(perDay: 2, total: 3, today: 1, overall: 4, refusal: "owls has used all 3 submissions"),
        // Both reached: the daily limit is the one named.
        LimitCase(perDay: 2, total: 3, today: 2, overall: 3, refusal: "owls has used its 2 submissions"),
    ]

    static let base = "id: t\ntask: binary\nmetric: auc\n"

    @Test(arguments: limitCases)
    func limits(_ c: LimitCase) throws {
        var submissions = try ChallengeConfig.parse(Self.base).submissions
        submissions.perDay = c.perDay
        submissions.total = c.total
        let refusal = Admission.limits(
            submissions, team: "owls", day: "2026-11-10", counts: Admission.Counts(today: c.today, overall: c.overall))
        if let expected = c.refusal {
            #expect(refusal?.code == .limitReached)
            #expect(refusal?.message.hasPrefix(expected) == true, "\(String(describing: refusal))")
        } else {
            #expect(refusal == nil, "\(String(describing: refusal))")
        }
    }

    /// (opens, now, refused)
    static let openingCases: [(String?, String, Bool)] = [
        (nil, "2000-01-01T00:00:00Z", false),
        ("2026-11-01T00:00:00Z", "2026-10-31T23:59:59Z", true),
        ("2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", false),
        ("2026-11-01T00:00:00Z", "2026-11-01T00:00:01Z", false),
        ("2026-11-01T00:00:00Z", "2026-12-31T00:00:00Z", false),
    ]

    @Test func opening() throws {
        for (opens, now, refused) in Self.openingCases {
            let config = try ChallengeConfig.parse(Self.base + (opens.map { "opens: \($0)\n" } ?? ""))
            let refusal = Admission.opening(config, at: instant(now))
            #expect((refusal != nil) == refused, "opens \(opens ?? "none") at \(now)")
            if refused {
                #expect(refusal?.code == .notOpen)
                #expect(refusal?.message == "the challenge opens at 2026-11-01T00:00:00.000Z")
            }
        }
    }

    @Test func onlyLimitsAndTheOpeningAreRefusals() {
        #expect(Admission.isRefusal(.limitReached) && Admission.isRefusal(.notOpen))
        #expect(!Admission.isRefusal(nil) && !Admission.isRefusal(.notASubmission))
        #expect(!Admission.isRefusal(.sandboxError) && !Admission.isRefusal(ErrorCode(rawValue: "non_numeric")))
        // Refused and failed submissions never count against a limit; waiting and scored ones do.
        #expect(SubmissionStatus.allCases.filter(\.counts) == [.queued, .running, .scored])
    }
}
