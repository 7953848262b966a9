import PodiumChecks
import PodiumTables
import SandboxProtocol

/// A refusal or failure the judge reports: a stable code, a message, and where.
///
/// Rejections of a submission or challenge exit with status 1; `internal` with 3.
public struct JudgeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var row: Int?
    public var column: String?
    /// The file the problem is in, when it is not the submission.
    public var file: String?
    public var count: Int?
    public var ids: [String]?
    /// The blocking checks behind `leakage_blocked`.
    public var checks: [CheckName]?
    public var isInternal = false
    /// A bundle that ran and failed (a limit, a crash, no output): status `failed`.
    public var failed = false
    /// The bundle run behind a `failed` error.
    public var run: SandboxRun? = nil

    public init(code: ErrorCode, message: String, row: Int? = nil, column: String? = nil, file: String? = nil) {
        self.code = code
        self.message = message
        self.row = row
        self.column = column
        self.file = file
    }

    /// A rejection of the file `file` (nil = the submission).
    public init(_ error: IntakeError, file: String? = nil) {
        self.init(code: ErrorCode(error.code), message: error.message, row: error.row, column: error.column, file: file)
        count = error.count
        ids = error.ids
    }

    public static func invalidChallenge(_ message: String, line: Int? = nil, key: String? = nil) -> JudgeError {
        JudgeError(code: .invalidChallenge, message: message, row: line, column: key, file: "challenge.yaml")
    }

    public var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        if let row { place.append(file == "challenge.yaml" ? "line \(row)" : "row \(row)") }
        if let column { place.append(file == "challenge.yaml" ? "key \(column)" : "column \(column)") }
        return "\(code): \(message)" + (place.isEmpty ? "" : " (\(place.joined(separator: ", ")))")
    }
}

extension JudgeError {
    /// A store's failure: `home_unavailable` when the environment refused, `database_error` or
    /// `store_failed` (internal: the judge's side) otherwise, or a file's code.
    public static func store(_ code: String, _ message: String) -> JudgeError {
        var error = JudgeError(code: ErrorCode(rawValue: code), message: message)
        error.isInternal = error.code == .databaseError || error.code == .storeFailed
        return error
    }
}
