import Hummingbird
import PodiumApp
import PodiumDomain

extension SubmitPages {
    struct ListModel {
        var frame: PageFrame
        var challenge: ChallengeHeader
        var tab = ChallengeTab(submissions: true)
        var metric: String
        var everyone: Bool
        var showPrivate: Bool
        var showShown: Bool
        var notes: [String]
        var rows: [ListRow]
    }

    struct ListRow {
        var number: Int64
        var apiId: String
        var participant: String
        var team: String
        var submitted: String
        var status: String
        var publicScore: String
        var privateScore: String
        var shownScore: String
        var file: String
        var flags: String
    }

    /// The list as the API gives it: a student's team's own, an instructor's everyone's.
    @Sendable func list(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.pageAccount(request)
        let id = try challengeId(context)
        let everyone = account.role == .instructor
        let who: String? =
            everyone
            ? nil
            : try await server.useCases(for: context).run { services throws(JudgeError) in
                try Submitter.team(of: account.name, in: id, services: services)
            }
        let listing = try await server.useCases(for: context).submissions(id, participant: who)
        let summary = try await server.useCases(for: context).info(id, participant: nil).summary
        var notes: [String] = []
        if let step = listing.visibility.ladderStep {
            notes.append(
                "Public scores are the Ladder's (step \(PageText.score(step))): they move only when a submission "
                    + "beats the shown score by more than the step.")
        }
        if !listing.pending.isEmpty {
            notes.append(
                "\(listing.pending.count) score(s) wait for a re-score on version \(listing.version); "
                    + "a score marked (vN) was computed on version N.")
        }
        let rows = listing.body.reversed().map { r in
            let version = r.scoredVersion.map { $0 != listing.version ? " (v\($0))" : "" } ?? ""
            var flags: [String] = []
            if r.late { flags.append("late") }
            if r.selected { flags.append("selected") }
            if r.held { flags.append("held") }
            if let error = r.error { flags.append("\(error.code.rawValue): \(error.message)") }
            if let message = r.message { flags.append("“\(message)”") }
            return ListRow(
                number: r.id, apiId: "\(id)-\(r.id)", participant: r.participant, team: r.team,
                submitted: PageText.when(r.submittedAt), status: r.status.rawValue,
                publicScore: r.publicScore.map { PageText.score($0) + version } ?? "—",
                privateScore: r.privateScore.flatMap { $0 }.map { PageText.score($0) + version } ?? "—",
                shownScore: r.shownScore.flatMap { $0 }.map { PageText.score($0) } ?? "—", file: r.file,
                flags: flags.joined(separator: "; "))
        }
        let model = ListModel(
            frame: PageFrame("\(summary.title): submissions", context, server), challenge: ChallengeHeader(summary),
            metric: listing.metric, everyone: everyone, showPrivate: listing.showPrivate,
            showShown: listing.showsLadderColumn, notes: notes, rows: rows)
        return PageRenderer.shared.page("submissions", model)
    }
}
