import Foundation
import HTTPTypes
import Hummingbird
import PodiumApp
import PodiumDomain

/// Submitting and following submissions. A handler never scores: the upload is stored
/// (fsynced) and its row committed `queued` before the `202`; a worker evaluates it.
struct SubmissionRoutes {
    let server: PodiumServer
    func app(_ context: PodiumContext) -> UseCases { server.useCases(for: context) }

    func add(to api: RouterGroup<PodiumContext>) {
        api.post("challenges/:id/submissions", use: submit)
        api.get("challenges/:id/submissions", use: list)
        api.put("challenges/:id/selection", use: select)
        api.get("submissions/:sid", use: show)
        api.get("submissions/:sid/file", use: download)
        api.post("submissions/:sid/clear", use: clear)
    }

    struct Accepted: Encodable {
        /// The API's id: `CHALLENGE-N`.
        var id: String
        /// The number within the challenge (what `select` and the command line use).
        var submission: Int64
        var challenge: String
        var status: SubmissionStatus
        var queuePosition: Int?
        var remainingToday: Int?
        var remainingTotal: Int?
        var dayResetsAt: String?

        enum CodingKeys: String, CodingKey {
            case id, submission, challenge, status
            case queuePosition = "queue_position"
            case remainingToday = "remaining_today"
            case remainingTotal = "remaining_total"
            case dayResetsAt = "day_resets_at"
        }
    }

    @Sendable func submit(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        let id = try challengeId(context)
        let (row, job) = try await Self.queue(server, challenge: id, as: account, via: .api) {
            if PageMultipart.boundary(request.headers[.contentType]) != nil { return try await form(request) }
            let path = try await Upload.receive(
                request, into: server.options.uploads, limit: server.options.maxUploadBytes,
                seconds: server.options.uploadSeconds)
            return ReceivedFile(
                path: path, message: Upload.header(request, "Podium-Message", limit: 1000),
                fileName: Upload.fileName(request))
        }
        // Committed: from here on the answer is 202 whatever happens (a store that went away
        // after the commit must not make the client send the file again). The counts are extras.
        let body = try? await app(context).submission(id, id: row.id, viewer: .participant(account.name))
        var headers = HTTPFields()
        headers[.location] = "/api/v1/submissions/\(id)-\(row.id)"
        return JSONResponse.make(
            Accepted(
                id: "\(id)-\(row.id)", submission: row.id, challenge: id, status: row.status,
                queuePosition: await server.dispatcher.position(of: job),
                remainingToday: body?.remainingToday, remainingTotal: body?.remainingTotal,
                dayResetsAt: body?.dayResetsAt),
            status: .accepted, headers: headers)
    }

    /// A `multipart/form-data` submission (DESIGN §7): the `file` part streamed to disk, the
    /// `message` field as the note.
    func form(_ request: Request) async throws -> ReceivedFile {
        let body = try await PageMultipart.receive(
            request, fileField: "file", into: server.options.uploads, limit: server.options.maxUploadBytes,
            seconds: server.options.uploadSeconds)
        guard let path = body.file, body.fileBytes > 0 else {
            if let path = body.file { unlink(path) }
            throw APIError(.badRequest, "empty_upload", "the form has no file part named 'file', or it is empty")
        }
        return ReceivedFile(
            path: path, message: PageMultipart.cleanText(body.fields["message"], limit: 1000),
            fileName: Upload.lastComponent(body.fileName ?? "upload"))
    }

    /// `GET /submissions/{challenge}-{id}[?wait=S]`: long-polls up to 60 s for a final status.
    @Sendable func show(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        let (challenge, id) = try submissionId(context)
        let viewer: Viewer = account.role == .instructor ? .instructor : .participant(account.name)
        let wait = min(60, max(0, request.uri.queryParameters["wait"].flatMap { Double(String($0)) } ?? 0))
        let deadline = Date().addingTimeInterval(wait)
        let job = EvaluationJob(challenge: challenge, submission: id)
        var body = try await app(context).submission(challenge, id: id, viewer: viewer)
        var lastRead = Date()
        while !body.isFinal && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            // The dispatcher says when this server's workers are done; the store is read again
            // then, or every 2 s (another process may evaluate it).
            if await !server.dispatcher.isPending(job) || Date().timeIntervalSince(lastRead) > 2 {
                body = try await app(context).submission(challenge, id: id, viewer: viewer)
                lastRead = Date()
            }
        }
        if body.status == .queued { body.queuePosition = await server.dispatcher.position(of: job) }
        return JSONResponse.make(body)
    }

    @Sendable func list(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        let id = try challengeId(context)
        let asked = request.uri.queryParameters["participant"].map(String.init)
        let who: String?
        if account.role == .instructor {
            who = asked
        } else {
            // A student reads their own team's list, whatever they ask for.
            who = try await app(context).run { services throws(JudgeError) in
                try Submitter.team(of: account.name, in: id, services: services)
            }
        }
        return JSONResponse.make(try await app(context).submissions(id, participant: who).body)
    }

    struct SelectionRequest: Decodable { var ids: [Int64] }

    struct SelectionBody: Encodable {
        var team: String
        var ids: [Int64]
        var replaced: [Int64]
    }

    @Sendable func select(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.signedIn()
        let id = try challengeId(context)
        let asked = try await request.decode(as: SelectionRequest.self, context: context)
        let (team, earlier, closed) = try await app(context).run { services throws(JudgeError) in
            let opened = try services.open(id)
            let team = try Submitter.team(of: account.name, in: id, services: services)
            let rows = try opened.records.submissions(team: team)
            return (team, rows.filter(\.selected).map(\.id), opened.closed(at: services.clock.now()))
        }
        // Final picks are made before the close: after it, the private board is visible and a
        // pick would be chosen by its private score.
        guard !closed else {
            throw APIError(.forbidden, "selection_closed", "the challenge has closed: final picks can no longer change")
        }
        // Only the team's own submissions: another team's id is not found, as if it did not exist.
        for sid in asked.ids {
            guard
                let row = try await app(context).run({ services throws(JudgeError) in
                    try services.open(id).records.submission(sid)
                }),
                row.team == team
            else { throw APIError(JudgeError(code: .unknownSubmission, message: "there is no submission \(sid)")) }
        }
        let chosen = try await app(context).select(id, ids: asked.ids)
        return JSONResponse.make(SelectionBody(team: chosen.team, ids: chosen.ids, replaced: earlier))
    }

    @Sendable func download(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.instructor()
        let (challenge, id) = try submissionId(context)
        let (path, name) = try await app(context).run { services throws(JudgeError) in
            let opened = try services.open(challenge)
            guard let row = try opened.records.submission(id) else {
                throw JudgeError(code: .unknownSubmission, message: "there is no submission \(id)")
            }
            return (services.blobs.path(of: row.fileSha256, challenge: opened.id), row.fileName)
        }
        let body = try await FileIO().loadFile(path: path, context: context)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        let safe = String(
            name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" }.map(
                Character.init))
        headers[.contentDisposition] = "attachment; filename=\"\(safe.isEmpty ? "submission" : safe)\""
        return Response(status: .ok, headers: headers, body: body)
    }

    struct ClearRequest: Decodable { var reason: String }

    struct ClearBody: Encodable {
        var id: Int64
        var cleared: Bool
    }

    @Sendable func clear(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.instructor()
        let (challenge, id) = try submissionId(context)
        let asked = try await request.decode(as: ClearRequest.self, context: context)
        try await app(context).clear(
            challenge, id: id, reason: asked.reason.trimmingCharacters(in: .whitespacesAndNewlines))
        return JSONResponse.make(ClearBody(id: id, cleared: true))
    }
}

/// An upload written to the uploads folder, with what its sender said about it.
struct ReceivedFile: Sendable {
    var path: String
    var message: String?
    var fileName: String
}

extension SubmissionRoutes {
    /// Submitting, as the API and the submit page both do it: refused while the server stops,
    /// the challenge checked before a byte is stored, then `receive` writes the upload, the
    /// use case stores it by content and commits its row `queued` (a refusal by the rules is
    /// thrown), and the dispatcher is told. The upload's own file is always removed.
    static func queue(
        _ server: PodiumServer, challenge id: String, as account: Account, via channel: Actor.Channel,
        receive: () async throws -> ReceivedFile
    ) async throws -> (row: SubmissionRecord, job: EvaluationJob) {
        guard !server.isStopping else {
            throw APIError(.serviceUnavailable, "unavailable", "the server is stopping; submit again in a minute")
        }
        // The challenge must exist before a byte is stored.
        let app = server.useCases.acting(as: Actor(name: account.name, via: channel))
        _ = try await app.run { services throws(JudgeError) in try services.open(id).id }
        let received = try await receive()
        defer { unlink(received.path) }
        let row = try await app.accept(
            id, file: received.path, as: account.name, message: received.message, fileName: received.fileName)
        if row.status == .rejected, let error = row.error { throw APIError(error) }
        server.metrics.accepted()
        let job = EvaluationJob(challenge: id, submission: row.id)
        await server.dispatcher.add(job, team: row.team, submittedAt: row.submittedAt)
        return (row, job)
    }
}

/// A submission's public id, `CHALLENGE-N` (ids are numbered per challenge).
func submissionId(_ context: PodiumContext) throws -> (String, Int64) {
    let raw = try context.parameters.require("sid")
    guard let dash = raw.lastIndex(of: "-"), let number = Int64(raw[raw.index(after: dash)...]), number > 0,
        let challenge = Names.canonical(String(raw[..<dash])), challenge == raw[..<dash]
    else { throw APIError.notFound("submission '\(raw)'") }
    return (challenge, number)
}
