import Foundation
import HTTPTypes
import Hummingbird
import PodiumDomain

/// A request body written to a new file in the uploads folder as it arrives: never held whole
/// in memory, refused with `413` past the limit (by `Content-Length` before a byte is read,
/// and by counting), and abandoned when it takes longer than the deadline. The caller removes
/// the file.
enum Upload {
    static func receive(_ request: Request, into folder: String, limit: Int, seconds: Double) async throws -> String {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge(limit)
        }
        try makeFolder(folder)
        let path = "\(folder)/upload-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw JudgeError(code: .homeUnavailable, message: "cannot create \(path)") }
        let deadline = Date().addingTimeInterval(seconds)
        var total = 0
        do {
            defer { close(fd) }
            for try await buffer in request.body {
                total += buffer.readableBytes
                if total > limit { throw tooLarge(limit) }
                if Date() > deadline {
                    throw APIError(.requestTimeout, "upload_timeout", "the upload took longer than \(Int(seconds)) s")
                }
                try buffer.withUnsafeReadableBytes { bytes in
                    var done = 0
                    while done < bytes.count {
                        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw JudgeError(code: .storeFailed, message: "cannot write an upload: errno \(errno)")
                        }
                        done += n
                    }
                }
            }
        } catch {
            unlink(path)
            throw error
        }
        guard total > 0 else {
            unlink(path)
            throw APIError(.badRequest, "empty_upload", "the request has no file in its body")
        }
        return path
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(
            .contentTooLarge, "too_large", "the upload is larger than the server's limit of \(limit / 1_048_576) MB")
    }

    static func makeFolder(_ folder: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue { return }
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// A header value sent percent-encoded (UTF-8), decoded; control characters dropped; at most `limit` characters.
    static func header(_ request: Request, _ name: String, limit: Int) -> String? {
        guard let field = HTTPField.Name(name), let raw = request.headers[field] else { return nil }
        let decoded = raw.removingPercentEncoding ?? raw
        // No control or format characters (C0, C1, bidirectional overrides, zero-width), no line
        // or paragraph separators: what is shown back must read as it looks.
        let clean = String(
            String.UnicodeScalarView(
                decoded.unicodeScalars.filter { scalar in
                    switch scalar.properties.generalCategory {
                    case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse,
                        .unassigned:
                        return false
                    default: return true
                    }
                }))
        let trimmed = clean.trimmingCharacters(in: CharacterSet.whitespaces)
        return trimmed.isEmpty ? nil : String(trimmed.prefix(limit))
    }

    /// The name a student gave their file, reduced to its last path component.
    static func fileName(_ request: Request) -> String {
        lastComponent(header(request, "Podium-File-Name", limit: 200) ?? "upload")
    }

    /// A given file name reduced to its last path component (never `.` or `..`).
    static func lastComponent(_ given: String) -> String {
        let last = given.split(separator: "/").last.map(String.init) ?? "upload"
        return last == "." || last == ".." ? "upload" : last
    }
}
