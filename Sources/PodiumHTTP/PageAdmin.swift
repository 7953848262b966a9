import Foundation
import Hummingbird
import PodiumApp
import PodiumDomain

/// `/admin` (instructors; a student gets the 403 page): the roster and invites, the queue with
/// ages and positions, held submissions and their clearing, each challenge's check report,
/// re-score and downloads, the re-score jobs.
struct AdminPages {
    let server: PodiumServer

    func add(to router: Router<PodiumContext>) {
        router.get("/admin", use: show)
        router.post("/admin/accounts", use: addAccount)
        router.post("/admin/c/:id/clear/:n", use: clear)
        router.post("/admin/c/:id/rescore", use: rescore)
        router.get("/admin/c/:id/check", use: check)
        router.get("/admin/jobs/:job", use: job)
    }

    struct Model {
        var frame: PageFrame
        var csrf: String
        var invite: InviteShown?
        var notice: String?
        var problem: String?
        var challenges: [ChallengeHeaderRow]
        var queue: [QueueRow]
        var held: [HeldRow]
        var jobs: [JobRow]
        var accounts: [AccountRow]
        /// The trail's last events, newest first, or why it cannot be read.
        var audit: [AuditPage.EventRow] = []
        var auditProblem: String? = nil
    }

    struct InviteShown {
        var name: String
        var link: String
        var expires: String
    }

    struct ChallengeHeaderRow {
        var id: String
        var title: String
        var version: Int
        var state: String
    }

    struct QueueRow {
        var challengeId: String
        var number: Int64
        var participant: String
        var status: String
        var age: String
        var position: String
    }

    struct HeldRow {
        var challengeId: String
        var number: Int64
        var participant: String
        var findings: String
    }

    struct JobRow {
        var jobId: Int
        var challengeId: String
        var jobState: String
        var done: Int
        var total: Int
    }

    struct AccountRow {
        var name: String
        var display: String
        var role: String
        var disabled: Bool
        var created: String
    }

    func model(_ context: PodiumContext) async throws -> Model {
        let app = server.useCases
        let challenges = try await app.challenges(participant: nil)
        var queue: [QueueRow] = []
        var held: [HeldRow] = []
        for c in challenges {
            let rows = try await app.run { services throws(JudgeError) in
                try services.open(c.id).records.submissions(team: nil)
            }
            let flagged = Dictionary(
                try await app.flaggedSubmissions(c.id).map { ($0.id, $0.checks) }, uniquingKeysWith: { a, _ in a })
            for s in rows where s.status == .queued || s.status == .running {
                let position = await server.dispatcher.position(of: EvaluationJob(challenge: c.id, submission: s.id))
                queue.append(
                    QueueRow(
                        challengeId: c.id, number: s.id, participant: s.participant, status: s.status.rawValue,
                        age: PageText.age(s.submittedAt), position: position.map(String.init) ?? "—"))
            }
            for s in rows where s.held {
                held.append(
                    HeldRow(
                        challengeId: c.id, number: s.id, participant: s.participant,
                        findings: (flagged[s.id] ?? []).joined(separator: "; ")))
            }
        }
        let accounts = try await app.run { services throws(JudgeError) in try Accounts.list(services: services) }
        let frame = PageFrame("Admin", context, server)
        var trail: [AuditPage.EventRow] = []
        var trailProblem: String? = nil
        do throws(JudgeError) {
            trail = try await AuditRoutes.read(server, context, challenge: nil, limit: 10).events.reversed()
                .map(AuditPage.EventRow.init)
        } catch {
            trailProblem = error.message
        }
        var model = Model(
            frame: frame, csrf: frame.csrf,
            challenges: challenges.map {
                ChallengeHeaderRow(id: $0.id, title: $0.title, version: $0.version, state: $0.state.rawValue)
            },
            queue: queue.sorted { ($0.position.count, $0.position) < ($1.position.count, $1.position) }, held: held,
            jobs: await server.jobs.all().map {
                JobRow(jobId: $0.id, challengeId: $0.challenge, jobState: $0.state, done: $0.done, total: $0.total)
            },
            accounts: accounts.map {
                AccountRow(
                    name: $0.name, display: $0.display, role: $0.role.rawValue, disabled: $0.disabled,
                    created: PageText.when($0.createdAt))
            })
        model.audit = trail
        model.auditProblem = trailProblem
        return model
    }

    @Sendable func show(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.pageInstructor(request)
        return PageRenderer.shared.page("admin", try await model(context))
    }

    /// A new account; its invite link is on this page only (the code is stored as a hash).
    @Sendable func addAccount(_ request: Request, context: PodiumContext) async throws -> Response {
        let form = try await PageForm.read(request)
        try instructorForm(form, context)
        let role = Account.Role(rawValue: form.text("role") ?? "student") ?? .student
        let name = form.text("name") ?? ""
        let display = form.text("display")
        let email = form.text("email")
        let added: Result<Accounts.Invite, JudgeError>
        do throws(JudgeError) {
            added = .success(
                try await server.useCases(for: context).run { services throws(JudgeError) in
                    try Accounts.add(name, role: role, display: display, email: email, services: services)
                })
        } catch {
            added = .failure(error)
        }
        var page = try await model(context)
        switch added {
        case .success(let invite):
            page.invite = InviteShown(
                name: invite.account.name, link: Accounts.inviteLink(base(request), code: invite.code),
                expires: PageText.when(invite.expiresAt))
            return PageRenderer.shared.page("admin", page, status: .created)
        case .failure(let error):
            page.problem = APIError(error).message
            return PageRenderer.shared.page("admin", page, status: APIError.status(of: error))
        }
    }

    /// The address students use: `--public-url`, else this request's own host.
    func base(_ request: Request) -> String {
        if let url = server.options.publicURL { return url }
        let scheme = server.options.tlsCertificate == nil ? "http" : "https"
        return "\(scheme)://\(request.head.authority ?? "localhost")"
    }

    @discardableResult
    func instructorForm(_ form: PageForm, _ context: PodiumContext) throws -> Account {
        let account = try context.formAccount(form, server)
        guard account.role == .instructor else {
            throw APIError(.forbidden, "forbidden", "This needs an instructor's account.")
        }
        return account
    }

    @Sendable func clear(_ request: Request, context: PodiumContext) async throws -> Response {
        let form = try await PageForm.read(request)
        try instructorForm(form, context)
        let id = try challengeId(context)
        guard let n = Int64(try context.parameters.require("n")) else { throw APIError.notFound("such submission") }
        guard let reason = form.text("reason") else { throw APIError(.badRequest, "usage", "A reason is required.") }
        try await server.useCases(for: context).clear(id, id: n, reason: reason)
        var page = try await model(context)
        page.notice = "Submission \(id)-\(n) was cleared: it is back on the public board."
        return PageRenderer.shared.page("admin", page)
    }

    /// Starts the re-score job as the API does (one at a time per challenge), then its progress page.
    @Sendable func rescore(_ request: Request, context: PodiumContext) async throws -> Response {
        let form = try await PageForm.read(request)
        let account = try instructorForm(form, context)
        let job = try await server.startRescore(
            try challengeId(context), by: context.actor ?? Actor(name: account.name, via: .api))
        return .redirect(to: "/admin/jobs/\(job)", type: .normal)
    }

    struct JobModel {
        var frame: PageFrame
        var jobId: Int
        var challengeId: String
        var jobState: String
        var running: Bool
        var done: Int
        var total: Int
        var progressMax: Int
        var startedBy: String
        var problem: String?
        var summary: String?
    }

    @Sendable func job(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.pageInstructor(request)
        guard let id = Int(try context.parameters.require("job")), let job = await server.jobs.job(id) else {
            throw APIError.notFound("such job")
        }
        let running = job.state == "running"
        let model = JobModel(
            frame: PageFrame("Re-score of \(job.challenge)", context, server, live: running), jobId: job.id,
            challengeId: job.challenge, jobState: job.state, running: running, done: job.done, total: job.total,
            progressMax: max(1, job.total), startedBy: job.startedBy, problem: job.error?.message,
            summary: job.summary.map { PodiumJSON.encode($0) })
        return PageRenderer.shared.page("job", model)
    }

    struct CheckModel {
        var frame: PageFrame
        var challengeId: String
        var blocked: Bool
        var checksRun: String
        var findings: [FindingRow]
        var hasAllowed: Bool
        var allowed: [AllowedRow]
        var flagged: [FlaggedRow]
    }

    struct FindingRow {
        var check: String
        var severity: String
        var message: String
    }

    struct AllowedRow {
        var check: String
        var reason: String
    }

    struct FlaggedRow {
        var number: Int64
        var participant: String
        var findings: String
    }

    @Sendable func check(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.pageInstructor(request)
        let id = try challengeId(context)
        let report = try await server.useCases(for: context).check(id)
        let model = CheckModel(
            frame: PageFrame("Check report: \(id)", context, server), challengeId: id, blocked: report.blocked,
            checksRun: report.checksRun.map(\.rawValue).joined(separator: ", "),
            findings: report.findings.map {
                FindingRow(check: $0.name.rawValue, severity: $0.severity.rawValue, message: $0.message)
            },
            hasAllowed: !report.allowed.isEmpty,
            allowed: report.allowed.sorted { $0.key < $1.key }.map { AllowedRow(check: $0.key, reason: $0.value) },
            flagged: (report.flaggedSubmissions ?? []).map {
                FlaggedRow(number: $0.id, participant: $0.participant, findings: $0.checks.joined(separator: "; "))
            })
        return PageRenderer.shared.page("check", model)
    }
}
