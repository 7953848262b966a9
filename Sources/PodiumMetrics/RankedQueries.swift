/// The ranked results of a set of queries, reduced to what ranking metrics need.
///
/// Query `q`'s returned items occupy positions `rankStart[q] ..< rankStart[q + 1]` of
/// `relevance`, best first, each holding the judged relevance of the item at that rank (0 for
/// items the answer key does not judge and for repeats of an item already ranked). Its judged
/// relevances, best first, occupy `idealStart[q] ..< idealStart[q + 1]` of `ideal`. When the
/// ranking came from scores, `tieStart[i]` is 1 where a run of equal scores begins.
public struct RankedQueries: Sendable {
    public var rankStart: [Int]
    public var relevance: [Int32]
    public var idealStart: [Int]
    public var ideal: [Int32]
    public var tieStart: [UInt8]?

    public init(rankStart: [Int], relevance: [Int32], idealStart: [Int], ideal: [Int32], tieStart: [UInt8]?) {
        self.rankStart = rankStart
        self.relevance = relevance
        self.idealStart = idealStart
        self.ideal = ideal
        self.tieStart = tieStart
    }

    /// The number of queries.
    public var count: Int { rankStart.count - 1 }
}
