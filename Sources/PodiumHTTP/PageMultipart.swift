import Foundation
import Hummingbird
import PodiumDomain

/// A `multipart/form-data` body (the submit form) read as it arrives: the file part is written
/// to a new file in the uploads folder chunk by chunk, never held whole in memory; the small
/// text fields are kept. The same limits as the API's upload: `413` past the upload limit (by
/// `Content-Length` before a byte is read, and by counting), a deadline for the whole body.
struct PageMultipart {
    /// The text fields (at most 16 KB each) and the file part, if one was sent.
    var fields: [String: String] = [:]
    /// The file part written to disk (the caller removes it), its size and the name the
    /// browser gave it.
    var file: String?
    var fileBytes = 0
    var fileName: String?

    /// The boundary of a `multipart/form-data` content type.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty || value.utf8.count > 70 ? nil : value
        }
        return nil
    }

    /// Reads the body of `request`; the file part named `fileField` goes to a new file in `folder`.
    static func receive(
        _ request: Request, fileField: String, into folder: String, limit: Int, seconds: Double
    ) async throws -> PageMultipart {
        guard let boundary = boundary(request.headers[.contentType]) else {
            throw APIError(.badRequest, "bad_request", "The form was not sent as multipart/form-data.")
        }
        // The file may use the whole limit; the form's other fields and the part headers get a little more.
        let total = limit + 64 * 1024
        if let length = request.headers[.contentLength].flatMap(Int.init), length > total {
            throw Upload.tooLarge(limit)
        }
        try Upload.makeFolder(folder)
        var parser = Parser(boundary: boundary, fileField: fileField, folder: folder, limit: limit)
        let deadline = Date().addingTimeInterval(seconds)
        var received = 0
        do {
            for try await buffer in request.body {
                received += buffer.readableBytes
                if received > total { throw Upload.tooLarge(limit) }
                if Date() > deadline {
                    throw APIError(.requestTimeout, "upload_timeout", "The upload took longer than \(Int(seconds)) s.")
                }
                try buffer.withUnsafeReadableBytes { try parser.feed($0) }
            }
            try parser.finish()
        } catch {
            parser.abandon()
            throw error
        }
        return parser.result
    }

    /// The parser's states: before the first boundary, in a part's headers, in a part's body, done.
    struct Parser {
        enum State { case preamble, headers, body, done }
        let delimiter: [UInt8]
        let fileField: String
        let folder: String
        let limit: Int
        var state = State.preamble
        var pending: [UInt8] = [0x0D, 0x0A]  // the first boundary needs no CRLF before it
        var part: (name: String, isFile: Bool)?
        var text: [UInt8] = []
        var fd: Int32 = -1
        var parts = 0
        var result = PageMultipart()

        init(boundary: String, fileField: String, folder: String, limit: Int) {
            delimiter = Array(("\r\n--" + boundary).utf8)
            self.fileField = fileField
            self.folder = folder
            self.limit = limit
        }

        mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
            pending.append(contentsOf: bytes)
            var start = 0
            while true {
                switch state {
                case .done:
                    pending.removeAll()
                    return
                case .preamble:
                    guard let at = find(delimiter, from: start), at + delimiter.count + 2 <= pending.count else {
                        keepTail(from: start, keeping: delimiter.count + 1)
                        return
                    }
                    start = try afterDelimiter(at)
                case .headers:
                    guard let end = find([0x0D, 0x0A, 0x0D, 0x0A], from: start) else {
                        if pending.count - start > 8 * 1024 { throw bad("a form part's headers are too long") }
                        pending.removeFirst(start)
                        return
                    }
                    try beginPart(String(decoding: pending[start..<end], as: UTF8.self))
                    start = end + 4
                case .body:
                    if let at = find(delimiter, from: start) {
                        if at + delimiter.count + 2 > pending.count {
                            try emit(start, at)
                            pending.removeFirst(at)
                            return
                        }
                        try emit(start, at)
                        try endPart()
                        start = try afterDelimiter(at)
                    } else {
                        // Everything but a tail that may begin the delimiter belongs to the part.
                        let safe = max(start, pending.count - delimiter.count + 1)
                        try emit(start, safe)
                        pending.removeFirst(safe)
                        return
                    }
                }
            }
        }

        /// After `--boundary`: `--` ends the body, CRLF begins a part's headers.
        mutating func afterDelimiter(_ at: Int) throws -> Int {
            let next = at + delimiter.count
            if pending[next] == 0x2D && pending[next + 1] == 0x2D {
                state = .done
                return next + 2
            }
            guard pending[next] == 0x0D && pending[next + 1] == 0x0A else { throw bad("a boundary is malformed") }
            state = .headers
            return next + 2
        }

        mutating func keepTail(from start: Int, keeping n: Int) {
            pending.removeFirst(max(start, pending.count - n))
        }

        mutating func beginPart(_ headers: String) throws {
            parts += 1
            guard parts <= 20 else { throw bad("the form has too many parts") }
            var name = ""
            var filename: String?
            for line in headers.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2, pair[0].lowercased() == "content-disposition" else { continue }
                name = Self.parameter("name", in: String(pair[1])) ?? ""
                filename = Self.parameter("filename", in: String(pair[1]))
            }
            let isFile = filename != nil && name == fileField && result.file == nil
            part = (name, isFile)
            text = []
            if isFile {
                let path = "\(folder)/upload-\(UInt64.random(in: 0...UInt64.max))"
                fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
                guard fd >= 0 else { throw JudgeError(code: .homeUnavailable, message: "cannot create \(path)") }
                result.file = path
                result.fileName = filename.map(PageMultipart.cleanFileName)
            }
            state = .body
        }

        mutating func emit(_ from: Int, _ to: Int) throws {
            guard to > from, let part else { return }
            if part.isFile {
                result.fileBytes += to - from
                if result.fileBytes > limit { throw Upload.tooLarge(limit) }
                try pending.withUnsafeBytes { all in
                    var done = from
                    while done < to {
                        let n = write(fd, all.baseAddress! + done, to - done)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw JudgeError(code: .storeFailed, message: "cannot write an upload: errno \(errno)")
                        }
                        done += n
                    }
                }
            } else if text.count + (to - from) <= 16 * 1024 {
                text.append(contentsOf: pending[from..<to])
            } else {
                throw bad("a form field is too long")
            }
        }

        mutating func endPart() throws {
            guard let part else { return }
            if part.isFile {
                close(fd)
                fd = -1
            } else if result.fields[part.name] == nil {
                result.fields[part.name] = String(decoding: text, as: UTF8.self)
            }
            self.part = nil
        }

        mutating func finish() throws {
            guard state == .done else { throw bad("the form ended before its last boundary") }
        }

        /// A failed body leaves no file behind.
        mutating func abandon() {
            if fd >= 0 { close(fd) }
            fd = -1
            if let file = result.file { unlink(file) }
            result.file = nil
        }

        func find(_ needle: [UInt8], from: Int) -> Int? {
            guard pending.count - from >= needle.count else { return nil }
            let first = needle[0]
            var k = from
            let last = pending.count - needle.count
            while k <= last {
                if pending[k] == first {
                    var j = 1
                    while j < needle.count && pending[k + j] == needle[j] { j += 1 }
                    if j == needle.count { return k }
                }
                k += 1
            }
            return nil
        }

        func bad(_ why: String) -> APIError { APIError(.badRequest, "bad_request", "The form is malformed: \(why).") }

        /// `name="value"` in a `Content-Disposition` header (quoted, with `\"` escapes, or a token).
        static func parameter(_ key: String, in header: String) -> String? {
            let scalars = Array(header.unicodeScalars)
            var k = 0
            while k < scalars.count {
                // The start of a parameter: after `;` (and spaces).
                while k < scalars.count && (scalars[k] == ";" || scalars[k] == " " || scalars[k] == "\t") { k += 1 }
                var name = ""
                while k < scalars.count && scalars[k] != "=" && scalars[k] != ";" {
                    name.unicodeScalars.append(scalars[k])
                    k += 1
                }
                var value = ""
                if k < scalars.count && scalars[k] == "=" {
                    k += 1
                    if k < scalars.count && scalars[k] == "\"" {
                        k += 1
                        while k < scalars.count && scalars[k] != "\"" {
                            if scalars[k] == "\\" && k + 1 < scalars.count { k += 1 }
                            value.unicodeScalars.append(scalars[k])
                            k += 1
                        }
                        k += 1
                    } else {
                        while k < scalars.count && scalars[k] != ";" {
                            value.unicodeScalars.append(scalars[k])
                            k += 1
                        }
                    }
                }
                if name.trimmingCharacters(in: .whitespaces).lowercased() == key {
                    return value.trimmingCharacters(in: .whitespaces)
                }
                while k < scalars.count && scalars[k] != ";" { k += 1 }
            }
            return nil
        }
    }

    /// The name a browser gave the file, as the API keeps `Podium-File-Name`: percent-decoded,
    /// control characters dropped, its last path component, at most 200 characters.
    static func cleanFileName(_ given: String) -> String {
        let decoded = given.removingPercentEncoding ?? given
        let clean = String(
            String.UnicodeScalarView(decoded.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        let last = clean.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let trimmed = String(last.trimmingCharacters(in: .whitespaces).prefix(200))
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? "upload" : trimmed
    }

    /// A text field as the API keeps `Podium-Message`: control characters dropped, trimmed, at most `limit` characters.
    static func cleanText(_ raw: String?, limit: Int) -> String? {
        guard let raw else { return nil }
        let clean = String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        let trimmed = clean.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : String(trimmed.prefix(limit))
    }
}
