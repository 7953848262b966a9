import PodiumApp
import PodiumDomain
extension SubmissionListing {
    /// One submission in full (`podium submissions CHALLENGE --id N`): every field of its
    /// `--json` row, one per line, and multi-line text (a bundle's stderr tail) whole, indented,
    /// with control characters escaped. The listing's table shows only the first line.
    public func detail(_ id: Int64) throws(JudgeError) -> String {
        guard case .object(let pairs) = try jsonRow(id) else { return "" }
        var lines: [String] = []
        func add(_ key: String, _ value: JSONValue) {
            switch value {
            case .object(let inner): for (k, v) in inner { add("\(key) \(k)", v) }
            case .string(let text):
                let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                if parts.count <= 1 {
                    lines.append("\(key): \(Escaping.oneLine(text))")
                } else {
                    lines.append("\(key):")
                    lines += parts.map { "    " + Escaping.oneLine(String($0)) }
                }
            case .number(let v): lines.append("\(key): \(formatScore(v))")
            case .null: lines.append("\(key): —")
            default: lines.append("\(key): \(value.serialized())")
            }
        }
        for (key, value) in pairs { add(key, value) }
        return lines.joined(separator: "\n")
    }

    /// The `--json` row of one submission.
    public func jsonRow(_ id: Int64) throws(JudgeError) -> JSONValue {
        guard let index = rows.firstIndex(where: { $0.0.id == id }), case .array(let items) = json() else {
            throw JudgeError(code: .unknownSubmission, message: "there is no submission \(id)\(rows.count < 1 ? "" : " (among the submissions listed)")")
        }
        return items[index]
    }
}
