/// How two files' keys differ, in words.
public enum IdMismatch {
    /// The words of `inconsistent_ids` (also `podium check`'s `id_overlap`): how many keys each
    /// file lacks, and the first few.
    public static func words(missing: [String], missingCount: Int, extra: [String], extraCount: Int, what: String)
        -> String
    {
        var parts: [String] = []
        if missingCount > 0 {
            parts.append(
                "\(missingCount) \(what) of solution.csv are not in test.csv (first: "
                    + "\(missing.joined(separator: ", ")))"
            )
        }
        if extraCount > 0 {
            parts.append(
                "\(extraCount) \(what) of test.csv are not in solution.csv (first: \(extra.joined(separator: ", ")))")
        }
        return parts.joined(separator: "; ")
    }
}
