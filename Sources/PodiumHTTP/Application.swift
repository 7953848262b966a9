import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import PodiumApp
import PodiumDomain
import ServiceLifecycle

/// `podium serve`: the router (API, pages, health, metrics), the workers and the sweep, as one
/// application that stops gracefully on `SIGTERM`.
public enum PodiumApplication {
    /// Builds the application; `listening` is called with the bound port once it accepts.
    public static func build(_ server: PodiumServer, listening: @escaping @Sendable (Int) -> Void) throws
        -> some ApplicationProtocol
    {
        let router = Router(context: PodiumContext.self)
        router.add(middleware: Envelope(server: server))
        router.get("/healthz") { _, _ in "ok" }
        // For the machine's own scraper (or the proxy's, which restricts it further): other
        // addresses are told there is nothing here.
        router.get("/metrics") { _, context in
            guard ["127.0.0.1", "::1", "::ffff:127.0.0.1"].contains(context.peer) else {
                throw APIError.notFound("page")
            }
            return try await metricsText(server)
        }
        // The API's contract, for anyone (no token, no rate limit: a constant in the binary).
        router.get("/api/v1/openapi.json") { _, _ in OpenAPIDocument.response() }
        router.add(middleware: Authentication(server: server))
        let api = router.group("api/v1")
        ReadRoutes(server: server).add(to: api)
        SubmissionRoutes(server: server).add(to: api)
        InstructorRoutes(server: server).add(to: api)
        AuditRoutes(server: server).add(to: api)
        Pages.add(to: router, server: server)

        let options = server.options
        var builder: HTTPServerBuilder = .http1(configuration: .init(idleTimeout: .seconds(60)))
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            builder = try .tls(builder, tlsConfiguration: configuration)
        }
        var logger = Logger(label: "podium")
        logger.logLevel = .notice
        return Application(
            router: router, server: builder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            services: [WorkerService(server: server, logger: logger)],
            onServerRunning: { channel in listening(channel.localAddress?.port ?? options.port) },
            logger: logger)
    }

    static func metricsText(_ server: PodiumServer) async throws -> Response {
        var (queued, running) = await server.dispatcher.depth()
        let statuses = try await server.useCases.run { services throws(JudgeError) in
            var total: [SubmissionStatus: Int] = [:]
            for id in try services.challenges.challengeIds() {
                guard let records = try services.challenges.records(id) else { continue }
                for (status, n) in try records.statusCounts() { total[status, default: 0] += n }
            }
            return total
        }
        // On a shared store the queue is every machine's: the store counts it.
        if server.services.queue != nil {
            queued = statuses[.queued] ?? 0
            running = statuses[.running] ?? 0
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        let text = server.metrics.text(queued: queued, running: running, statuses: statuses)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The workers and the sweep, as a service of the application: on `SIGTERM` the dispatcher
/// stops handing out jobs, running evaluations finish (up to the grace period), the rest stays
/// queued in the store for the next start.
struct WorkerService: Service {
    let server: PodiumServer
    let logger: Logger

    func run() async throws {
        if let queue = server.services.queue { return await shared(queue) }
        let services = server.services
        let released = try await server.useCases.run { services throws(JudgeError) in
            try Sweep.releaseDeadServers(services)
        }
        if released > 0 { logger.notice("queued again \(released) submissions a stopped server was evaluating") }
        try await Sweep.run(services, into: server.dispatcher)
        let metrics = server.metrics
        let owner = Workers.newOwner()
        let workers = Workers(
            services: services, dispatcher: server.dispatcher, owner: owner,
            leaseSeconds: server.options.leaseSeconds
        ) { _, _, seconds in metrics.evaluated(seconds: seconds) }
        let server = server
        let grace = server.options.graceSeconds
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await workers.run(count: server.options.workers) }
                group.addTask {
                    while !server.isStopping {
                        try? await Task.sleep(for: .seconds(2))
                        if server.isStopping { break }
                        try? await Sweep.run(services, into: server.dispatcher)
                    }
                }
            }
        } onGracefulShutdown: {
            Task {
                await server.beginStopping()
                // Evaluations that outlast the grace period are put back in the queue (not
                // counted as a failed attempt) and run again at the next start.
                try? await Task.sleep(for: .seconds(grace))
                _ = try? Sweep.releaseOwn(services, owner: owner)
                Foundation.exit(0)
            }
        }
    }

    /// With a shared store (PostgreSQL): this server's workers take jobs from the queue every
    /// machine shares (none with `--workers 0`); its dispatcher only mirrors the store's queue,
    /// for queue positions and long-polls.
    func shared(_ queue: any SharedQueue) async {
        let services = server.services
        let metrics = server.metrics
        let owner = Workers.newOwner()
        let workers = SharedWorkers(
            services: services, queue: queue, owner: owner, leaseSeconds: server.options.leaseSeconds
        ) { event in
            if case .finished(_, _, _, let seconds) = event { metrics.evaluated(seconds: seconds) }
        }
        let stop = SharedWorkers.Stop()
        let server = server
        let grace = server.options.graceSeconds
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if server.options.workers > 0 {
                    group.addTask { await workers.run(slots: server.options.workers, stop: stop) }
                }
                group.addTask {
                    while !server.isStopping {
                        try? await Sweep.run(services, into: server.dispatcher)
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
        } onGracefulShutdown: {
            Task {
                await server.beginStopping()
                stop.set()
                queue.wake()
                try? await Task.sleep(for: .seconds(grace))
                _ = try? Sweep.releaseOwn(services, owner: owner)
                Foundation.exit(0)
            }
        }
    }
}
