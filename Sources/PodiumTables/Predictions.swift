/// What the prediction columns of a submission must hold.
public enum PredictionSpec: Sendable {
    /// One numeric column: scores or probabilities for label 1, or regression values.
    case number(column: String)
    /// Multiclass: a `column` of class labels, or one probability column per class.
    case multiclass(column: String, classes: [String])
}

/// A submission aligned to its solution: row `i` here is solution row `i`.
public struct AlignedPredictions: Sendable {
    /// Binary or regression predictions.
    public var numbers: [Double] = []
    /// Multiclass predicted class index (the argmax of probability rows, ties to the first).
    public var labels: [Int32] = []
    /// Multiclass probabilities, `rows × classes`, when the submission gave them.
    public var probabilities: [Double]? = nil

    /// Reads a submission and aligns it to `solution`.
    ///
    /// Every DESIGN §3 rule applies; the first problem in file order is thrown, and
    /// `missing_id` only once the whole file has been read.
    public static func read(
        _ buffer: InputBytes, solution: Solution, id: String, spec: PredictionSpec, file: String = "submission",
        reading: Reading = .standard
    ) throws(IntakeError) -> AlignedPredictions {
        var reader = CSVReader(buffer)
        let header = try Header.read(&reader, file: file)
        let idColumn = try header.require(id)
        var aligner = IdAligner(solution)
        var out = AlignedPredictions()
        let n = solution.count
        switch spec {
        case .number(let column):
            let valueColumn = try header.require(column)
            if let fast = FastColumns.numbers(
                buffer, from: reader.position, width: header.names.count, id: idColumn, value: valueColumn,
                solution: solution,
                reading: reading)
            {
                out.numbers = fast
                return out
            }
            out.numbers = Array(repeating: 0, count: n)
            try out.numbers.withUnsafeMutableBufferPointer { (values) throws(IntakeError) in
                while try reader.next() {
                    try reader.requireWidth(header)
                    try reader.requireId(idColumn, header)
                    let v = try reader.number(valueColumn, header)
                    let r = try aligner.locate(reader, idColumn, column: id)
                    values[r] = v
                }
            }
        case .multiclass(let column, let classes):
            // Both forms at once: which one did the student mean? Refused, never guessed.
            let classColumns = classes.filter { $0 != column && header.names.contains($0) }
            if header.names.contains(column) && !classColumns.isEmpty {
                throw IntakeError(
                    .ambiguousColumns,
                    "the \(file) has both a '\(column)' column of labels and probability columns "
                        + "(\(IntakeError.quote(classColumns.map { "'\($0)'" }.joined(separator: ", ")))); keep one "
                        + "form",
                    row: 1, column: column)
            }
            if let labelColumn = try header.optional(column) {
                let lookup = ClassLookup(classes)
                out.labels = Array(repeating: 0, count: n)
                while try reader.next() {
                    try reader.requireWidth(header)
                    try reader.requireId(idColumn, header)
                    let field = reader.fields[labelColumn]
                    guard field.count > 0 else {
                        throw IntakeError(.emptyValue, "the predicted label is empty", row: reader.row, column: column)
                    }
                    guard !field.escaped, let k = lookup.index(of: reader.raw(field)) else {
                        throw IntakeError(
                            .unknownLabel,
                            "'\(reader.quoted(field))' is not one of the classes \(classes.joined(separator: ", "))",
                            row: reader.row, column: column)
                    }
                    let r = try aligner.locate(reader, idColumn, column: id)
                    out.labels[r] = k
                }
            } else {
                var columns: [Int] = []
                for c in classes {
                    guard header.names.contains(c) else {
                        throw IntakeError(
                            .missingColumn,
                            "the \(file) needs a '\(column)' column of labels or one probability column per class "
                                + "(\(classes.joined(separator: ", "))); '\(c)' is missing",
                            row: 1, column: header.names.contains(where: classes.contains) ? c : column)
                    }
                    columns.append(try header.require(c))
                }
                let k = classes.count
                var probabilities = [Double](repeating: 0, count: n * k)
                out.labels = Array(repeating: 0, count: n)
                while try reader.next() {
                    try reader.requireWidth(header)
                    try reader.requireId(idColumn, header)
                    let r = try aligner.locate(reader, idColumn, column: id)
                    var best = 0
                    for (c, col) in columns.enumerated() {
                        let v = try reader.number(col, header)
                        if v < 0 {
                            throw IntakeError(
                                .negativeProbability,
                                "the probability \(reader.quoted(reader.fields[col])) is negative", row: reader.row,
                                column: classes[c])
                        }
                        probabilities[r * k + c] = v
                        if v > probabilities[r * k + best] { best = c }
                    }
                    out.labels[r] = Int32(best)
                }
                out.probabilities = probabilities
            }
        }
        try aligner.requireComplete(column: id)
        return out
    }
}

@inline(__always)
func idBytes(_ reader: CSVReader, _ column: Int) -> UnsafeBufferPointer<UInt8> {
    let field = reader.fields[column]
    if field.escaped {
        // Rare: an id with `""` escapes. Intern its unescaped bytes for the lookup.
        return EscapedIds.intern(reader.bytes(of: field))
    }
    return reader.raw(field)
}

/// Holds unescaped copies of escaped submission ids for the duration of a lookup.
enum EscapedIds {
    static func intern(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = p.initialize(from: bytes)
        // Leaked on purpose: escaped ids are rare and the process is short-lived.
        return UnsafeBufferPointer(rebasing: UnsafeBufferPointer(p)[0..<bytes.count])
    }
}
