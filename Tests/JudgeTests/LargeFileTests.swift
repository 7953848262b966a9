import Foundation
import PodiumDomain
import PodiumMetrics
import Testing

/// Files over 1 MB take the parallel fast path; it must give exactly the general reader's
/// scores, and hand every malformed file to the general reader for the exact error.
@Suite("Large files: the fast path agrees with the general reader", .serialized)
struct LargeFileTests {
    static let rows = 120_000

    /// A 120,000-row binary challenge; `shuffle` orders the solution ids randomly.
    static func challenge(shuffledSolution: Bool = false) throws -> (TempChallenge, [String], [Double]) {
        var state: UInt64 = 77
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var ids = (0..<rows).map { "u\($0)" }
        if shuffledSolution {
            for i in stride(from: ids.count - 1, to: 0, by: -1) { ids.swapAt(i, Int(next() % UInt64(i + 1))) }
        }
        var solution = "id,label,Usage\n"
        var scores: [Double] = []
        for id in ids {
            let y = next() % 7 == 0 ? 1 : 0
            solution += "\(id),\(y),\(next() % 3 == 0 ? "Public" : "Private")\n"
            scores.append(Double(next() % 1_000_000) / 1_000_000 * 0.7 + Double(y) * 0.2)
        }
        let c = try TempChallenge(
            yaml: "id: big\ntask: binary\nmetric: auc\nmetrics: [f1, logloss, average_precision]\n", solution: solution)
        return (c, ids, scores)
    }

    static func submission(_ ids: [String], _ scores: [Double], order: [Int]? = nil, lineEnd: String = "\n") -> String {
        var text = "id,prediction" + lineEnd
        for i in order ?? Array(ids.indices) { text += "\(ids[i]),\(scores[i])" + lineEnd }
        return text
    }

    @Test func fastPathScoresEqualGeneralReader() throws {
        let (c, ids, scores) = try Self.challenge()
        defer { c.remove() }
        let fast = try c.score(Self.submission(ids, scores)).get()
        // A quote anywhere in the data sends the file to the general reader.
        var quoted = Self.submission(ids, scores)
        quoted = quoted.replacingOccurrences(of: "\nu5,", with: "\n\"u5\",")
        let general = try c.score(quoted).get()
        #expect(fast.scores == general.scores)
        #expect(fast.rows[.public]! + fast.rows[.private]! == Self.rows)
        // Shuffled rows and CRLF line ends score the same.
        var order = Array(ids.indices)
        order.reverse()
        let shuffled = try c.score(Self.submission(ids, scores, order: order)).get()
        #expect(shuffled.scores == fast.scores)
        let crlf = try c.score(Self.submission(ids, scores, lineEnd: "\r\n")).get()
        #expect(crlf.scores == fast.scores)
    }

    @Test func unorderedSolutionIdsUseTheHashIndex() throws {
        let (c, ids, scores) = try Self.challenge(shuffledSolution: true)
        defer { c.remove() }
        let inOrder = try c.score(Self.submission(ids, scores)).get()
        var order = Array(ids.indices)
        order.sort { ids[$0] < ids[$1] }
        let sorted = try c.score(Self.submission(ids, scores, order: order)).get()
        #expect(inOrder.scores == sorted.scores)
    }

    struct Break: CustomTestStringConvertible, Sendable {
        let name: String
        let code: String
        let row: Int?
        var testDescription: String { name }
    }

    static let breaks: [Break] = [
        Break(name: "duplicate id late in the file", code: "duplicate_id", row: 100_002),
        Break(name: "unknown id", code: "unknown_id", row: 90_002),
        Break(name: "non-numeric value", code: "non_numeric", row: 60_002),
        Break(name: "missing row", code: "missing_id", row: nil),
        Break(name: "ragged row", code: "ragged_row", row: 110_002),
        Break(name: "empty value", code: "empty_value", row: 70_002),
        Break(name: "non-finite value", code: "non_finite", row: 119_001),
    ]

    @Test(arguments: breaks)
    func errorsAreExactInLargeFiles(_ b: Break) throws {
        let (c, ids, scores) = try Self.challenge()
        defer { c.remove() }
        var lines = Self.submission(ids, scores).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        switch b.code {
        case "duplicate_id": lines[100_001] = "u5,0.5"
        case "unknown_id": lines[90_001] = "zzz,0.5"
        case "non_numeric": lines[60_001] = "u60000,0.5x"
        case "missing_id": lines.remove(at: 50_001)
        case "ragged_row": lines[110_001] = "u110000,0.5,1"
        case "empty_value": lines[70_001] = "u70000,"
        default: lines[119_000] = "u118999,NaN"
        }
        guard case .failure(let error) = try c.score(lines.joined(separator: "\n")) else {
            Issue.record("accepted")
            return
        }
        #expect(error.code.rawValue == b.code, "\(error)")
        #expect(error.row == b.row, "\(error)")
        if b.code == "missing_id" { #expect(error.count == 1 && error.ids == ["u50000"]) }
    }
}

@Suite("One core or two: the same scores")
struct SerialPathTests {
    /// `PODIUM_SERIAL=1` runs every fast path on one core (as `rescore --jobs N` does).
    @Test func serialAndParallelAgree() throws {
        let (c, ids, scores) = try LargeFileTests.challenge()
        defer { c.remove() }
        let path = try c.write("big.csv", LargeFileTests.submission(ids, scores))
        let parallel = try run(podiumPath, ["score", "--challenge", c.folder, path, "--json"])
        let serial = try run(
            podiumPath, ["score", "--challenge", c.folder, path, "--json"], environment: ["PODIUM_SERIAL": "1"])
        #expect(parallel.status == 0 && serial.status == 0, "\(serial.stderr)")
        #expect(parallel.stdout == serial.stdout)
    }
}
