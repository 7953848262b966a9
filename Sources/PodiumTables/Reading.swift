import PodiumParallel

/// How a file is read: the cores the readers may use and the size from which a fast path is
/// taken. The caller passes it in (a re-score running several evaluations at once reads each
/// on one core; the fuzz targets read every input with the fast paths off and on).
public struct Reading: Sendable, Equatable {
    public var parallelism: Parallelism
    /// Files at least this large (256 KB) take a fast path when one applies: 0 sends every
    /// file there, `Int.max` none.
    public var fastPathMinimumBytes: Int

    public init(parallelism: Parallelism = .allCores, fastPathMinimumBytes: Int = 1 << 18) {
        self.parallelism = parallelism
        self.fastPathMinimumBytes = fastPathMinimumBytes
    }

    /// Every core, fast paths from 256 KB.
    public static let standard = Reading()
}
