/// A refusal or failure as the outside sees it:
/// `{"status": "rejected", "error": {"code": …, "message": …, "row": …}}`.
public struct ErrorBody: Encodable, Sendable, Equatable {
    public enum Status: String, Encodable, Sendable {
        /// The input was refused.
        case rejected
        /// A bundle ran and failed (a limit, a crash, no output).
        case failed
        /// The judge's side failed.
        case error
    }

    public var status: Status
    public var error: ErrorDetail
    /// The bundle run behind a `failed` error; absent otherwise.
    public var run: SandboxRunBody?

    public init(_ error: JudgeError) {
        status = error.isInternal ? .error : error.failed ? .failed : .rejected
        self.error = ErrorDetail(error)
        run = error.run.map(SandboxRunBody.init)
    }
}

/// An error's code, message and place; a place that does not apply is absent.
public struct ErrorDetail: Encodable, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String
    public var row: Int?
    public var column: String?
    public var file: String?
    public var count: Int?
    public var ids: [String]?

    public init(_ error: JudgeError) {
        code = error.code
        message = error.message
        row = error.row
        column = error.column
        file = error.file
        count = error.count
        ids = error.ids
    }
}

extension JudgeError {
    /// The JSON stored with a refused or failed score row (the error's object).
    public func storedJSON() -> String { PodiumJSON.encode(ErrorBody(self)) }
}
