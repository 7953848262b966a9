/// A small CSV read as text (a roster): each row's named cells. Every row has the header's
/// width; a missing required column is `missing_column`.
public enum TextRows {
    public static func read(_ buffer: InputBytes, required: [String], optional: [String], file: String)
        throws(IntakeError) -> [[String: String]]
    {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        var columns: [(String, Int)] = []
        for name in required { columns.append((name, try header.require(name))) }
        for name in optional {
            if let k = try header.optional(name) { columns.append((name, k)) }
        }
        var rows: [[String: String]] = []
        while try reader.next() {
            try reader.requireWidth(header)
            var row: [String: String] = [:]
            for (name, k) in columns { row[name] = reader.string(of: reader.fields[k]) }
            rows.append(row)
        }
        return rows
    }
}
