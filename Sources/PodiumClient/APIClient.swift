import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PodiumDomain

/// The API of a Podium server (docs/api.md) over HTTP: JSON requests, a file uploaded from
/// disk in chunks, a file downloaded in chunks, and every failure as a `JudgeError`.
///
/// Example:
///
///     let api = APIClient(server: "http://127.0.0.1:8080", token: token)
///     let me: RemoteAccount = try await api.get("/api/v1/me")
public struct APIClient: Sendable {
    public let server: String
    public let token: String?

    public init(server: String, token: String?) {
        self.server = server
        self.token = token
    }

    /// A request answered in full: its status, headers and body.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        /// The body decoded as `T`.
        public func decoded<T: Decodable>(_ type: T.Type = T.self) throws(JudgeError) -> T {
            do { return try JSONDecoder().decode(T.self, from: body) } catch {
                var bug = JudgeError(
                    code: .internalFailure, message: "the server's answer is not the expected \(T.self): \(error)")
                bug.isInternal = true
                throw bug
            }
        }
    }

    /// How long a request may take, upload or download included.
    public static let requestTimeout: TimeAmount = .seconds(120)
    /// How long an upload or a download may take.
    public static let transferTimeout: TimeAmount = .hours(2)
    /// The largest JSON or CSV answer read into memory.
    static let maxAnswer = 256 << 20

    // MARK: JSON

    /// `GET path`, decoded.
    public func get<T: Decodable>(_ path: String, timeout: TimeAmount = requestTimeout) async throws(JudgeError) -> T {
        try await send(.GET, path, timeout: timeout).decoded()
    }

    /// A request with an optional JSON body; the answer must be 2xx.
    public func send(
        _ method: HTTPMethod, _ path: String, json: (some Encodable & Sendable)? = String?.none,
        timeout: TimeAmount = requestTimeout
    ) async throws(JudgeError) -> Answer {
        var request = makeRequest(method, path)
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: PodiumJSON.encode(json)))
        }
        return try await collect(request, timeout: timeout)
    }

    // MARK: Files

    /// Sends the file at `file` as the body of `POST path` (`application/octet-stream`), read in
    /// chunks (never whole in memory), calling `progress(sent, total)` after each chunk.
    public func upload(
        _ path: String, file: String, headers: [(String, String)] = [],
        progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws(JudgeError) -> Answer {
        let chunks = try FileChunks(path: file, progress: progress)
        var request = makeRequest(.POST, path)
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .stream(chunks, length: .known(chunks.size))
        return try await collect(request, timeout: Self.transferTimeout)
    }

    /// `GET path` streamed: each chunk of the body goes to `consume` as it arrives. Returns the
    /// number of bytes received.
    public func download(_ path: String, consume: (UnsafeRawBufferPointer) throws(JudgeError) -> Void)
        async throws(JudgeError) -> Int64
    {
        let request = makeRequest(.GET, path)
        let response: HTTPClientResponse
        do {
            response = try await Self.http.execute(request, timeout: Self.transferTimeout)
        } catch {
            throw RemoteError.unreachable(server, error)
        }
        guard (200..<300).contains(response.status.code) else {
            throw try await failure(response)
        }
        var received: Int64 = 0
        do {
            for try await buffer in response.body {
                try buffer.withUnsafeReadableBytes { bytes throws(JudgeError) in try consume(bytes) }
                received += Int64(buffer.readableBytes)
            }
        } catch let error as JudgeError {
            throw error
        } catch {
            throw RemoteError.unreachable(server, error)
        }
        return received
    }

    // MARK: The transport

    /// One HTTP client for the process, never shut down (like `HTTPClient.shared`): a refused
    /// connection fails at once instead of retrying until the deadline, redirects are not
    /// followed (the token stays with the server it was made for).
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(120)),
            decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    func makeRequest(_ method: HTTPMethod, _ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "podium-cli")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return request
    }

    func collect(_ request: HTTPClientRequest, timeout: TimeAmount) async throws(JudgeError) -> Answer {
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await Self.http.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: Self.maxAnswer)
        } catch let error as JudgeError {
            throw error
        } catch {
            throw RemoteError.unreachable(server, error)
        }
        let data = Data(body.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw RemoteError.answer(
                status: status, body: data, server: server, retryAfter: response.headers.first(name: "Retry-After"))
        }
        return Answer(status: status, headers: response.headers.map { ($0.name, $0.value) }, body: data)
    }

    func failure(_ response: HTTPClientResponse) async throws(JudgeError) -> JudgeError {
        let body: ByteBuffer
        do { body = try await response.body.collect(upTo: 1 << 20) } catch {
            throw RemoteError.unreachable(server, error)
        }
        return RemoteError.answer(
            status: Int(response.status.code), body: Data(body.readableBytesView), server: server,
            retryAfter: response.headers.first(name: "Retry-After"))
    }
}

extension APIClient {
    /// A path segment (a challenge id, a file name) percent-encoded.
    public static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// A header value as the server reads it: percent-encoded UTF-8.
    public static func headerValue(_ text: String) -> String { segment(text) }

    static let unreserved = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}
