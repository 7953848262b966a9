import Foundation
import Hummingbird
import PodiumApp
import PodiumDomain

/// `/c/{id}/submit` (the form, then the upload stored and queued exactly as the API does it),
/// `/c/{id}/submissions/{n}` (its status, followed live, then its result) and
/// `/c/{id}/submissions` (the team's list; an instructor's: everyone's).
struct SubmitPages {
    let server: PodiumServer

    func add(to router: Router<PodiumContext>) {
        router.get("/c/:id/submit", use: form)
        router.post("/c/:id/submit", use: submit)
        router.get("/c/:id/submissions/:n", use: show)
        router.get("/c/:id/submissions", use: list)
    }

    struct FormModel {
        var frame: PageFrame
        var challenge: ChallengeHeader
        var tab = ChallengeTab(submit: true)
        var csrf: String
        var left: String?
        var resets: String
        var kinds: String
        var maxMB: Int
        var problem: String?
    }

    func formModel(_ account: Account, _ id: String, _ context: PodiumContext) async throws -> FormModel {
        let s = try await server.useCases(for: context).info(id, participant: account.name).summary
        let frame = PageFrame("\(s.title): submit", context, server)
        return FormModel(
            frame: frame, challenge: ChallengeHeader(s), csrf: frame.csrf,
            left: s.remainingToday.map { "\($0) of \(s.perDay)" }, resets: s.dayResetsAt.map(PageText.when) ?? "—",
            kinds: s.kinds.joined(separator: ", "), maxMB: server.options.maxUploadBytes / 1_048_576)
    }

    @Sendable func form(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.pageAccount(request)
        return PageRenderer.shared.page("submit", try await formModel(account, try challengeId(context), context))
    }

    /// The multipart form: the file part streamed to the uploads folder, the CSRF token checked
    /// before the use case stores anything, then `SubmissionRoutes.queue` as for the API. A
    /// refusal (the limit, not open yet, a bad form) is shown on the form with its status.
    @Sendable func submit(_ request: Request, context: PodiumContext) async throws -> Response {
        guard context.account != nil else { throw APIError(.forbidden, "forbidden", "Sign in to submit.") }
        let id = try challengeId(context)
        do {
            let account = try context.signedIn()
            let (row, _) = try await SubmissionRoutes.queue(server, challenge: id, as: account, via: .web) {
                let body = try await PageMultipart.receive(
                    request, fileField: "file", into: server.options.uploads, limit: server.options.maxUploadBytes,
                    seconds: server.options.uploadSeconds)
                let message = PageMultipart.cleanText(body.fields["message"], limit: 1000)
                do {
                    _ = try context.formAccount(PageForm(fields: body.fields), server)
                    guard let path = body.file, body.fileBytes > 0 else {
                        throw APIError(
                            .badRequest, "empty_upload", "Choose a file to submit: the form had none, or it was empty.")
                    }
                    return ReceivedFile(path: path, message: message, fileName: body.fileName ?? "upload")
                } catch {
                    if let path = body.file { unlink(path) }
                    throw error
                }
            }
            return .redirect(to: "/c/\(id)/submissions/\(row.id)", type: .normal)
        } catch let error as APIError where error.code != "forbidden" && error.status != .serviceUnavailable {
            guard let account = context.account else { throw error }
            var model = try await formModel(account, id, context)
            model.problem = error.message
            return PageRenderer.shared.page("submit", model, status: error.status)
        }
    }

    struct ShownSubmission {
        var number: Int64
        var apiId: String
        var status: String
        var detail: String
        var submitted: String
        var late: Bool
        var participant: String
        var team: String
        var file: String
        var note: String?
        var rank: String?
        var held: Bool
        var selected: Bool
        var ladder: String?
        var left: String?
        var resets: String?
        var problemCode: String?
        var problem: String?
        var hasScores: Bool
        var scores: [ScoreRow]
        var hasWarnings: Bool
        var warnings: [String]
        var hasChecks: Bool
        var checks: [String]
    }

    struct ScoreRow {
        var split: String
        var metric: String
        var primary: Bool
        var value: String
    }

    struct SubmissionModel {
        var frame: PageFrame
        var challenge: ChallengeHeader
        var tab = ChallengeTab(submissions: true)
        var s: ShownSubmission
        var pending: Bool
        var instructorFile: Bool
    }

    /// One submission as its reader may see it (another team's is `404`, as in the API).
    @Sendable func show(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.pageAccount(request)
        let id = try challengeId(context)
        guard let n = Int64(try context.parameters.require("n")), n > 0 else {
            throw APIError.notFound("such submission")
        }
        let viewer: Viewer = account.role == .instructor ? .instructor : .participant(account.name)
        var body = try await server.useCases(for: context).submission(id, id: n, viewer: viewer)
        if body.status == .queued {
            body.queuePosition = await server.dispatcher.position(of: EvaluationJob(challenge: id, submission: n))
        }
        let summary = try await server.useCases(for: context).info(id, participant: nil).summary
        let model = SubmissionModel(
            frame: PageFrame("\(summary.title): submission \(n)", context, server, live: !body.isFinal),
            challenge: ChallengeHeader(summary), s: Self.shown(body), pending: !body.isFinal,
            instructorFile: account.role == .instructor)
        return PageRenderer.shared.page("submission", model)
    }

    static func shown(_ b: SubmissionBody) -> ShownSubmission {
        var scores: [ScoreRow] = []
        for split in ["public", "private"] {
            guard let values = b.scores?[split] else { continue }
            let names = values.keys.sorted { ($0 == b.primary ? 0 : 1, $0) < ($1 == b.primary ? 0 : 1, $1) }
            for name in names {
                scores.append(
                    ScoreRow(
                        split: split, metric: name, primary: name == b.primary,
                        value: values[name].flatMap { $0 }.map { PageText.score($0) } ?? "—"))
            }
        }
        let detail: String
        switch b.status {
        case .queued: detail = b.queuePosition.map { "position \($0) in the queue" } ?? "waiting for a worker"
        case .running: detail = "being evaluated"
        default: detail = ""
        }
        return ShownSubmission(
            number: b.submission, apiId: b.id, status: b.status.rawValue, detail: detail,
            submitted: PageText.when(b.submittedAt), late: b.late, participant: b.participant, team: b.team,
            file: b.file, note: b.message,
            rank: b.rank.flatMap { r in r.after.map { "\($0) of \(r.of)" + (r.before.map { " (was \($0))" } ?? "") } },
            held: b.held, selected: b.selected,
            ladder: b.ladderStep.map { "public scores are the Ladder's (step \(PageText.score($0)))" },
            left: b.remainingToday.map(String.init), resets: b.dayResetsAt.map(PageText.when),
            problemCode: b.error?.code.rawValue, problem: b.error?.message, hasScores: !scores.isEmpty, scores: scores,
            hasWarnings: !(b.warnings ?? []).isEmpty, warnings: b.warnings ?? [],
            hasChecks: !(b.checks ?? []).isEmpty, checks: b.checks ?? [])
    }
}
