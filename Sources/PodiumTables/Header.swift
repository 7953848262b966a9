/// The header of a CSV file: column names, found by name in any order.
public struct Header: Sendable {
    public let names: [String]
    /// The file's name, for messages ("submission", "solution.csv").
    public let file: String

    public init(names: [String], file: String) {
        self.names = names
        self.file = file
    }

    /// Reads the first record of `reader` as the header.
    public static func read(_ reader: inout CSVReader, file: String) throws(IntakeError) -> Header {
        guard try reader.next() else {
            throw IntakeError(.emptyFile, "the \(file) has no header and no rows")
        }
        guard reader.fieldCount <= CSVReader.maxFields else {
            throw IntakeError(
                .malformedCSV,
                "the \(file)'s header has \(reader.fieldCount) columns; at most \(CSVReader.maxFields) are read",
                row: reader.row)
        }
        var names: [String] = []
        for k in 0..<reader.fieldCount {
            // A name no configuration could ask for (a 2 GB header line) is kept as a message
            // would quote it, not copied whole.
            let field = reader.fields[k]
            let name = field.count > maxNameBytes ? reader.quoted(field) : reader.string(of: field)
            names.append(
                String(
                    name.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" })
                        .reversed()))
        }
        return Header(names: names, file: file)
    }

    /// Longer header names are not copied whole (see `read`).
    static let maxNameBytes = 64 << 10

    /// The header as messages quote it (`'id', 'pred'`), within the quote limit.
    public var quoted: String {
        var text = ""
        for name in names {
            if !text.isEmpty { text += ", " }
            text += "'" + name + "'"
            if text.unicodeScalars.count > IntakeError.quoteLimit { break }
        }
        return IntakeError.quote(text)
    }

    /// The position of a column Podium reads; refuses a missing or repeated column.
    public func require(_ name: String, purpose: String = "") throws(IntakeError) -> Int {
        let matches = names.indices.filter { names[$0] == name }
        if matches.count > 1 {
            throw IntakeError(
                .duplicateColumn, "the \(file) has the column '\(IntakeError.quote(name))' \(matches.count) times",
                row: 1, column: name)
        }
        guard let index = matches.first else {
            throw IntakeError(
                .missingColumn,
                "the \(file) has no column '\(IntakeError.quote(name))'\(purpose); its header is \(quoted)", row: 1,
                column: name)
        }
        return index
    }

    /// The position of Kaggle's `Usage` column (its name in any letter case).
    public func requireUsage() throws(IntakeError) -> Int {
        try require(names.contains("Usage") ? "Usage" : (names.first { $0.lowercased() == "usage" } ?? "Usage"))
    }

    /// The position of a column if present (refusing duplicates).
    public func optional(_ name: String) throws(IntakeError) -> Int? {
        names.contains(name) ? try require(name) : nil
    }
}
