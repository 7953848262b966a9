import Foundation
import HTTPTypes
import Hummingbird
import PodiumApp
import PodiumChecks
import PodiumDomain

/// What only instructors do: publish, re-score as a job, read the check report.
struct InstructorRoutes {
    let server: PodiumServer
    func app(_ context: PodiumContext) -> UseCases { server.useCases(for: context) }

    func add(to api: RouterGroup<PodiumContext>) {
        api.post("challenges", use: publish)
        api.post("challenges/:id/rescore", use: rescore)
        api.get("jobs/:job", use: job)
        api.get("challenges/:id/check", use: check)
    }

    /// The body is a `.tar.gz` (or any archive the safe extractor reads) of a challenge folder;
    /// `?force=1`, and `allow=CHECK&reason=TEXT` pairs to publish over a blocking finding.
    @Sendable func publish(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.instructor()
        let query = request.uri.queryParameters
        let force = ["1", "true", "yes"].contains(query["force"].map(String.init) ?? "")
        let names = query.getAll("allow")
        let reasons = query.getAll("reason")
        guard names.count == reasons.count else {
            throw APIError(.badRequest, "usage", "give one reason for each allow")
        }
        var allow: [CheckName: String] = [:]
        for (name, reason) in zip(names, reasons) {
            guard let check = CheckName(rawValue: name) else {
                throw APIError(.badRequest, "usage", "allow=\(name): no such check")
            }
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError(.badRequest, "usage", "allow=\(name) needs a reason")
            }
            allow[check] = reason
        }
        let path = try await Upload.receive(
            request, into: server.options.uploads, limit: server.options.maxUploadBytes * 10,
            seconds: server.options.uploadSeconds)
        defer { unlink(path) }
        let scratch = server.options.uploads
        let allowed = allow
        let outcome = try await app(context).run { services throws(JudgeError) in
            try Publisher.publish(archive: path, scratch: scratch, services: services, force: force, allow: allowed)
        }
        // A newly published challenge's queue (none yet) and boards are read from the store.
        try await Sweep.run(server.services, into: server.dispatcher)
        return JSONResponse.make(PublishBody(outcome), status: outcome.unchanged ? .ok : .created)
    }

    struct JobStarted: Encodable { var job: Int }

    @Sendable func rescore(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.instructor()
        let job = try await server.startRescore(
            try challengeId(context), by: context.actor ?? Actor(name: account.name, via: .api))
        var headers = HTTPFields()
        headers[.location] = "/api/v1/jobs/\(job)"
        return JSONResponse.make(JobStarted(job: job), status: .accepted, headers: headers)
    }

    @Sendable func job(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.instructor()
        guard let id = Int(try context.parameters.require("job")), let job = await server.jobs.job(id) else {
            throw APIError.notFound("such job")
        }
        return JSONResponse.make(job)
    }

    @Sendable func check(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.instructor()
        return JSONResponse.make(try await app(context).check(try challengeId(context)))
    }
}
