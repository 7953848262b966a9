/// Why a file was refused: a stable code, a message a person can act on, and where.
///
/// Codes are DESIGN §3's rejection codes; `row` is the 1-based line of the file where the
/// offending record starts (the header is line 1), `column` the header name involved.
public struct IntakeError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let emptyFile = Code(rawValue: "empty_file")
        public static let malformedCSV = Code(rawValue: "malformed_csv")
        public static let raggedRow = Code(rawValue: "ragged_row")
        public static let missingColumn = Code(rawValue: "missing_column")
        public static let duplicateColumn = Code(rawValue: "duplicate_column")
        public static let duplicateID = Code(rawValue: "duplicate_id")
        public static let missingID = Code(rawValue: "missing_id")
        public static let unknownID = Code(rawValue: "unknown_id")
        public static let emptyValue = Code(rawValue: "empty_value")
        public static let nonNumeric = Code(rawValue: "non_numeric")
        public static let nonFinite = Code(rawValue: "non_finite")
        public static let unknownLabel = Code(rawValue: "unknown_label")
        public static let negativeProbability = Code(rawValue: "negative_probability")
        public static let duplicateItem = Code(rawValue: "duplicate_item")
        public static let unknownQuery = Code(rawValue: "unknown_query")
        public static let badArchive = Code(rawValue: "bad_archive")
        public static let archiveLimits = Code(rawValue: "archive_limits")
        public static let notASubmission = Code(rawValue: "not_a_submission")
        /// Both prediction forms at once (multiclass: a label column and class columns).
        public static let ambiguousColumns = Code(rawValue: "ambiguous_columns")
        /// The file could not be opened or read.
        public static let unreadable = Code(rawValue: "unreadable_file")
    }

    public var code: Code
    public var message: String
    public var row: Int?
    public var column: String?
    /// For `missing_id`: how many ids are missing, and the first few.
    public var count: Int?
    public var ids: [String]?

    public init(_ code: Code, _ message: String, row: Int? = nil, column: String? = nil) {
        self.code = code
        self.message = message
        self.row = row
        // A column named by the file's header is the file's text: quoted like any other.
        self.column = column.map { IntakeError.quote($0) }
    }

    /// The most characters of a file's own text a message quotes.
    public static let quoteLimit = 200

    /// A file's text as a message quotes it: at most `quoteLimit` characters (Unicode scalars,
    /// so no run of combining marks counts as one), then `…`; control characters escaped
    /// (`\n`, `\r`, `\t`, `\u{7F}`), so one line of a file stays one short line of output.
    ///
    /// Every message that quotes a file's cells, header, ids or entry names goes through here.
    public static func quote<S: StringProtocol>(_ text: S) -> String {
        var out = ""
        var taken = 0
        for scalar in text.unicodeScalars {
            if taken == quoteLimit {
                out += "…"
                break
            }
            taken += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                switch scalar.properties.generalCategory {
                case .control, .lineSeparator, .paragraphSeparator:
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                default:
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `quote` of bytes (invalid UTF-8 repaired), reading only the bytes it may quote.
    public static func quote(bytes: UnsafeBufferPointer<UInt8>) -> String {
        // 4 bytes per scalar at most, and one more scalar to know the text goes on.
        let n = min(bytes.count, 4 * (quoteLimit + 1))
        let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<n]), as: UTF8.self)
        let quoted = quote(head)
        return n < bytes.count && !quoted.hasSuffix("…") ? quoted + "…" : quoted
    }

    public var description: String {
        var place = ""
        if let row {
            place += " (row \(row)" + (column.map { ", column \($0)" } ?? "") + ")"
        } else if let column {
            place += " (column \(column))"
        }
        return "\(code): \(message)\(place)"
    }
}
