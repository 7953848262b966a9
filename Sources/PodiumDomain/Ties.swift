/// Statistical ties on the private board: each entry's 95% bootstrap interval of the private
/// score (1,000 resamples of the private rows, the core's `--ci`); an entry whose interval
/// overlaps the one above is marked tied. Intervals are computed by a job (`Intervals` in the
/// application layer) and read here: marking a board reads, never scores.
public enum Ties {
    /// Sets each entry's interval from `intervals` (submission → interval on the version its
    /// score was computed on) and marks the entries tied with the one above.
    public static func mark(_ board: inout Board, intervals: [Int64: (low: Double, high: Double)]) {
        guard board.kind == .private else { return }
        for i in board.entries.indices {
            board.entries[i].interval = intervals[board.entries[i].submissionId]
        }
        for i in board.entries.indices.dropFirst() {
            guard let mine = board.entries[i].interval, let above = board.entries[i - 1].interval else { continue }
            board.entries[i].tiedWithAbove = mine.high >= above.low && mine.low <= above.high
        }
    }
}
