import Foundation
import Hummingbird
import PodiumApp
import PodiumDomain

/// An error answered as `{"error": {"code", "message"}}` with its HTTP status (DESIGN §7).
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static let unauthorized = APIError(
        .unauthorized, "unauthorized", "sign in: send 'Authorization: Bearer TOKEN' (podium login makes one)")

    static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "there is no \(what)") }

    /// A judge error as the API answers it: one place maps codes to statuses. A fault of the
    /// judge says so and no more: the details (paths, the database's words) go to the log.
    public init(_ error: JudgeError) {
        let status = Self.status(of: error)
        self.init(status, error.code.rawValue, status == .internalServerError ? Self.internalMessage : error.message)
    }

    static let internalMessage = "the judge failed on its side (not your fault); the operator can see why in the log"

    static func status(of error: JudgeError) -> HTTPResponse.Status {
        if error.isInternal { return .internalServerError }
        switch error.code {
        case .unknownChallenge, .unknownSubmission, .unknownVersion, .unknownAccount: return .notFound
        case .limitReached, .tooManyAttempts: return .tooManyRequests
        case .notOpen, .privateHidden: return .forbidden
        case .badCredentials: return .unauthorized
        case .storeUnavailable: return .serviceUnavailable
        case .alreadyExists, .alreadyPublished, .notHeld, .notSelectable, .busy: return .conflict
        case .homeUnavailable, .databaseError, .storeFailed, .missingStoredFile, .corruptStoredFile, .sandboxError,
            .internalFailure, .judgeError, .auditBroken:
            return .internalServerError
        default: return .badRequest
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(ErrorEnvelope(error: .init(code: code, message: message)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

struct ErrorEnvelope: Encodable {
    struct Inner: Encodable {
        var code: String
        var message: String
    }
    var error: Inner
}

/// JSON responses encoded by PodiumJSON (the command line's encoder: same keys, same numbers).
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
        -> Response
    {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(
            status: status, headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: PodiumJSON.encode(value) + "\n")))
    }
}
