/// The switch of the fast paths (`FastTable`, `FastColumns`) for the fuzz targets in `Fuzz/`,
/// which read every input twice, fast paths off and on, and compare the results.
///
/// A process-wide setting like `ParallelWork.serial`; Podium itself never changes it.
public enum FastPaths {
    /// Files at least this large (256 KB) take a fast path when it applies: 0 sends every file
    /// there, `Int.max` none.
    nonisolated(unsafe) public static var minimumBytes = 1 << 18
}
