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
        var names: [String] = []
        for k in 0..<reader.fieldCount {
            let name = reader.string(of: reader.fields[k])
            names.append(String(name.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()))
        }
        return Header(names: names, file: file)
    }

    /// The position of a column Podium reads; refuses a missing or repeated column.
    public func require(_ name: String, purpose: String = "") throws(IntakeError) -> Int {
        let matches = names.indices.filter { names[$0] == name }
        if matches.count > 1 {
            throw IntakeError(.duplicateColumn, "the \(file) has the column '\(name)' \(matches.count) times", row: 1, column: name)
        }
        guard let index = matches.first else {
            let found = names.map { "'\($0)'" }.joined(separator: ", ")
            throw IntakeError(.missingColumn, "the \(file) has no column '\(name)'\(purpose); its header is \(found)", row: 1, column: name)
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
