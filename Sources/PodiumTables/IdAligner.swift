/// Matches submission rows to solution rows by id: a fast path while the submission follows
/// the solution's order, the solution's key table otherwise. Never by position alone.
struct IdAligner {
    let solution: Solution
    private var table: KeyTable?
    private var expected = 0
    /// The file row that supplied each solution row; 0 = not yet supplied.
    private(set) var suppliedBy: [Int32]
    private(set) var supplied = 0

    init(_ solution: Solution) {
        self.solution = solution
        self.table = solution.table
        suppliedBy = Array(repeating: 0, count: solution.count)
    }

    /// The solution row of the id in field `k` of the reader's record; refuses unknown and
    /// repeated ids.
    @inline(__always)
    mutating func locate(_ reader: borrowing CSVReader, _ k: Int, column: String) throws(IntakeError) -> Int {
        let key = idBytes(reader, k)
        var target: Int
        if expected < solution.count && equalBytes(solution.ids.bytes(expected), key) {
            target = expected
        } else {
            if table == nil { table = solution.lookupTable() }
            guard let found = solution.ids.view({ table!.find(key, $0) }) else {
                throw IntakeError(
                    .unknownID, "the id '\(reader.quoted(reader.fields[k]))' is not in the solution", row: reader.row,
                    column: column)
            }
            target = found
        }
        if suppliedBy[target] != 0 {
            throw IntakeError(
                .duplicateID,
                "the id '\(reader.quoted(reader.fields[k]))' appears twice (rows \(suppliedBy[target]) and "
                    + "\(reader.row))",
                row: reader.row, column: column)
        }
        suppliedBy[target] = Int32(truncatingIfNeeded: reader.row)
        supplied += 1
        expected = target + 1
        return target
    }

    /// Refuses the submission when some solution ids never appeared.
    func requireComplete(column: String) throws(IntakeError) {
        let missing = solution.count - supplied
        guard missing > 0 else { return }
        var first: [String] = []
        for i in 0..<solution.count where suppliedBy[i] == 0 {
            first.append(solution.ids.string(i))
            if first.count == 5 { break }
        }
        var error = IntakeError(
            .missingID,
            "\(missing) id\(missing == 1 ? " is" : "s are") missing from the submission, first: "
                + "\(first.joined(separator: ", "))",
            column: column)
        error.count = missing
        error.ids = first
        throw error
    }
}
