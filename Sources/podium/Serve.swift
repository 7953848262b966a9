import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain
import PodiumHTTP
import PodiumSystem

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the course: the JSON API, the web pages, the evaluation workers.",
        discussion: """
            Accounts come from `podium users`; every accepted submission is stored and queued before the \
            answer, then evaluated by the workers (one per core by default). SIGTERM stops accepting, lets \
            running evaluations finish, and keeps the rest queued for the next start. One server per home. \
            With --store postgres://… the course lives in PostgreSQL: several servers and `podium worker` \
            machines share it (--workers 0: this server only answers).

            Example:
              podium serve --home course --port 8080 --public-url https://judge.example.edu
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to listen on (behind a reverse proxy keep 127.0.0.1).")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port, printed on start).")
    var port = 8080

    @Option(help: "Evaluation workers (default: one per core).")
    var workers: Int?

    @Option(help: "The address students use, for invite links (https:// makes cookies Secure).")
    var publicURL: String?

    @Option(help: "A TLS certificate chain (PEM), to serve HTTPS directly.")
    var tlsCert: String?

    @Option(help: "The TLS private key (PEM).")
    var tlsKey: String?

    @Option(help: "Largest upload in MB (larger: 413).")
    var maxUploadMb = 200

    @Option(help: "Requests per token (or address) per minute before 429.")
    var rateLimit = 600

    @Option(help: "Seconds running evaluations may take to finish after SIGTERM.")
    var grace = 30.0

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give both --tls-cert and --tls-key") }
        let shared = Root.store(global.store) != nil
        if let workers, workers < (shared ? 0 : 1) || workers > 64 {
            throw ValidationError(
                shared ? "--workers is 0 to 64 (0: only the API; workers elsewhere)" : "--workers is 1 to 64")
        }
        if !(0...65535).contains(port) { throw ValidationError("--port is 0 to 65535") }
        if maxUploadMb < 1 { throw ValidationError("--max-upload-mb is at least 1") }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url starts with http:// or https://")
        }
    }

    func run() async throws {
        // An absolute home: the server then works from inside it (below), where no request's
        // challenge id can name a folder of the operator's.
        let home = URL(fileURLWithPath: Root.home(global.home)).standardizedFileURL.path
        do {
            var global = global
            global.home = home
            let services = try Root.accountServices(global, create: true)
            // One server per home: a second one would take the first one's leases for dead.
            guard let lock = try FileLock.acquire(home + "/server.lock", timeout: 0) else {
                throw JudgeError(
                    code: .busy, message: "another podium serve is running on \(home) (server.lock is held)")
            }
            defer { lock.release() }
            var options = ServerOptions(uploads: home + "/.uploads")
            options.host = host
            options.port = port
            if let workers { options.workers = workers }
            options.publicURL = publicURL
            options.tlsCertificate = tlsCert
            options.tlsKey = tlsKey
            options.maxUploadBytes = maxUploadMb * 1_048_576
            options.requestsPerMinute = rateLimit
            options.graceSeconds = grace
            // Uploads left by a server killed mid-upload are never a submission: removed.
            try? FileManager.default.removeItem(atPath: options.uploads)
            let server = PodiumServer(useCases: UseCases(services), options: options)
            _ = FileManager.default.changeCurrentDirectoryPath(home)
            let scheme = tlsCert == nil ? "http" : "https"
            let shownHost = host.contains(":") ? "[\(host)]" : host
            let workerCount = options.workers
            let place = services.queue == nil ? "home \(home)" : "store \(Root.redacted(Root.store(global.store)))"
            let app = try PodiumApplication.build(server) { bound in
                let line =
                    "podium serve: listening on \(scheme)://\(shownHost):\(bound) (\(place), \(workerCount) workers)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            try await app.runService()
        } catch let error as JudgeError {
            throw rejection(error, json: global.json, home: home)
        } catch let error as ExitWith {
            throw error
        } catch {
            throw rejection(
                JudgeError(code: .homeUnavailable, message: "cannot serve: \(error)"), json: global.json, home: home)
        }
    }
}
