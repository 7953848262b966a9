import Foundation
import PodiumDomain
import PodiumMetrics
import Testing

/// Large ranking files take the parallel fast path; it must agree with the general reader and
/// leave every error to it.
@Suite("Large ranking files: fast path agrees with the general reader", .serialized)
struct LargeRankingTests {
    static let queries = 3000
    static let items = 30

    static func make() throws -> (TempChallenge, [String]) {
        var state: UInt64 = 5
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var solution = "query_id,item_id,relevance,Usage\n"
        var lines: [String] = []
        for q in 0..<queries {
            let usage = q % 3 == 0 ? "Public" : "Private"
            for j in 0..<12 where next() % 2 == 0 {
                solution += "q\(q),i\(j),\(next() % 4),\(usage)\n"
            }
            for j in 0..<items {
                // Scores on a coarse grid: many ties, broken by item id.
                lines.append("q\(q),i\(j),\(Double(next() % 20) / 20)")
            }
        }
        let yaml = "id: rank\ntask: ranking\nmetric: ndcg@10\nmetrics: [precision@5, map@10, mrr@3, recall@20]\n"
        return (try TempChallenge(yaml: yaml, solution: solution), lines)
    }

    static func text(_ lines: [String]) -> String { "query_id,item_id,score\n" + lines.joined(separator: "\n") + "\n" }

    @Test func fastEqualsGeneral() throws {
        let (c, lines) = try Self.make()
        defer { c.remove() }
        let fast = try c.score(Self.text(lines)).get()
        var quoted = lines
        quoted[5] = "\"q0\",i5,0.5"  // a quote: the general reader runs
        quoted[5] = lines[5].replacingOccurrences(of: "q0,", with: "\"q0\",")
        let general = try c.score(Self.text(quoted)).get()
        #expect(fast.scores == general.scores)
        // Queries in another order (still grouped) and rows of a query split apart.
        var reordered = lines
        reordered.reverse()
        #expect(try c.score(Self.text(reordered)).get().scores == fast.scores)
        var scattered = lines
        scattered.swapAt(3, lines.count - 3)
        #expect(try c.score(Self.text(scattered)).get().scores == fast.scores)
    }

    @Test func deepMetricsAgreeToo() throws {
        let (c, lines) = try Self.make()
        defer { c.remove() }
        let a = try c.score(Self.text(lines), extra: ["ndcg", "map_trec", "mrr", "ndcg_tieavg@5"]).get()
        var quoted = lines
        quoted[7] = lines[7].replacingOccurrences(of: "q0,", with: "\"q0\",")
        let b = try c.score(Self.text(quoted), extra: ["ndcg", "map_trec", "mrr", "ndcg_tieavg@5"]).get()
        #expect(a.scores == b.scores)
    }

    @Test func solutionErrorsAreExact() throws {
        let (c, lines) = try Self.make()
        defer { c.remove() }
        var solution = try String(contentsOfFile: c.folder + "/solution.csv", encoding: .utf8).split(separator: "\n")
            .map(String.init)
        #expect(solution.joined().utf8.count > 256 * 1024)
        let row = 9000
        solution[row - 1] = solution[row - 2]  // the same item judged twice
        try (solution.joined(separator: "\n") + "\n").write(
            toFile: c.folder + "/solution.csv", atomically: true, encoding: .utf8)
        guard case .failure(let error) = try c.score(Self.text(lines)) else {
            Issue.record("accepted")
            return
        }
        #expect(error.code.rawValue == "duplicate_item" && error.row == row && error.file == "solution.csv", "\(error)")
    }

    @Test(arguments: [
        ("duplicate item", "duplicate_item", 60_001),
        ("unknown query", "unknown_query", 70_001),
        ("bad score", "non_numeric", 80_001),
    ])
    func errorsAreExact(_ name: String, _ code: String, _ row: Int) throws {
        let (c, lines) = try Self.make()
        defer { c.remove() }
        var broken = lines
        let i = row - 2
        let q = broken[i].split(separator: ",")[0]
        switch code {
        case "duplicate_item": broken[i] = "\(q),\(broken[i - 1].split(separator: ",")[1]),0.01"
        case "unknown_query": broken[i] = "nope,i1,0.5"
        default: broken[i] = "\(q),\(broken[i].split(separator: ",")[1]),high"
        }
        guard case .failure(let error) = try c.score(Self.text(broken)) else {
            Issue.record("accepted")
            return
        }
        #expect(error.code.rawValue == code, "\(error)")
        #expect(error.row == row, "\(error)")
    }

    /// The rows in a random order: no query's rows are together.
    static func shuffled(_ lines: [String]) -> [String] {
        var out = lines
        var state: UInt64 = 11
        for i in stride(from: out.count - 1, to: 0, by: -1) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            out.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
        }
        return out
    }

    @Test func shuffledRowsScoreAsGroupedRows() throws {
        let (c, lines) = try Self.make()
        defer { c.remove() }
        let deep = ["ndcg", "map_trec", "mrr", "ndcg_tieavg@5", "precision@30"]
        let grouped = try c.score(Self.text(lines), extra: deep).get()
        let shuffled = Self.shuffled(lines)
        #expect(try c.score(Self.text(shuffled), extra: deep).get().scores == grouped.scores)
        // The general reader on the same shuffled rows.
        var quoted = shuffled
        quoted[3] =
            "\"" + quoted[3].replacingOccurrences(of: ",", with: "\",", options: [], range: quoted[3].range(of: ","))
        #expect(try c.score(Self.text(quoted), extra: deep).get().scores == grouped.scores)
        // Sorted by score, best first (queries interleaved), as a merged file often is.
        let byScore = lines.sorted { Double($0.split(separator: ",")[2])! > Double($1.split(separator: ",")[2])! }
        #expect(try c.score(Self.text(byScore), extra: deep).get().scores == grouped.scores)
    }

    @Test(arguments: [
        ("duplicate item", "duplicate_item", 60_001),
        ("unknown query", "unknown_query", 70_001),
        ("bad score", "non_numeric", 80_001),
    ])
    func errorsAreExactInShuffledFiles(_ name: String, _ code: String, _ row: Int) throws {
        let (c, lines) = try Self.make()
        defer { c.remove() }
        var broken = Self.shuffled(lines)
        let i = row - 2
        let q = broken[i].split(separator: ",")[0]
        switch code {
        case "duplicate_item":
            // The item of an earlier row of the same query.
            let j = broken[..<i].lastIndex { $0.split(separator: ",")[0] == q }!
            broken[i] = "\(q),\(broken[j].split(separator: ",")[1]),0.01"
        case "unknown_query": broken[i] = "nope,i1,0.5"
        default: broken[i] = "\(q),\(broken[i].split(separator: ",")[1]),high"
        }
        guard case .failure(let error) = try c.score(Self.text(broken)) else {
            Issue.record("accepted")
            return
        }
        #expect(error.code.rawValue == code, "\(error)")
        #expect(error.row == row, "\(error)")
    }
}
