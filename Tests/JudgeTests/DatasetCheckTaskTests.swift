import Foundation
import PodiumDomain
import Testing

/// The dataset checks on multiclass, regression and ranking challenges, each both ways.
@Suite("Dataset leakage checks beyond binary")
struct DatasetCheckTaskTests {
    static let classes = ["bag", "boot", "coat", "dress", "shirt"]

    /// A multiclass challenge; `feature(row, class, rng)` gives the feature cells.
    static func multiclass(sortedIds: Bool = false, feature: (Int, Int, inout SystemRNG) -> [String]) throws
        -> TempChallenge
    {
        var rng = SystemRNG(seed: 7)
        var train = "id,a,b,label\n"
        var test = "id,a,b\n"
        var solution = "id,label,Usage\n"
        // Unbalanced classes: 40%, 25%, 15%, 12%, 8%.
        func draw() -> Int {
            let u = rng.uniform()
            return u < 0.4 ? 0 : u < 0.65 ? 1 : u < 0.8 ? 2 : u < 0.92 ? 3 : 4
        }
        var testRows: [(Int, [String])] = []
        for i in 0..<3000 {
            let y = draw()
            train += "t\(i)," + feature(i, y, &rng).joined(separator: ",") + ",\(classes[y])\n"
        }
        for j in 0..<800 {
            let y = draw()
            testRows.append((y, feature(3000 + j, y, &rng)))
        }
        if sortedIds { testRows.sort { $0.0 < $1.0 } }
        for (j, (y, cells)) in testRows.enumerated() {
            let id = sortedIds ? "\(j)" : "s\(Int(rng.uniform() * 1e9))-\(j)"
            test += id + "," + cells.joined(separator: ",") + "\n"
            solution += "\(id),\(classes[y]),\(j % 2 == 0 ? "Public" : "Private")\n"
        }
        let c = try TempChallenge(
            yaml: "id: mc\ntask: multiclass\nmetric: accuracy\nclasses: [\(classes.joined(separator: ", "))]\n",
            solution: solution)
        _ = try c.write("train.csv", train)
        _ = try c.write("test.csv", test)
        return c
    }

    static func findings(_ c: TempChallenge) throws -> [(String, String)] {
        try DatasetChecks.run(folder: c.folder, config: try ChallengeConfig.load(folder: c.folder)).findings.map {
            ($0.name.rawValue, $0.severity.rawValue)
        }
    }

    @Test func multiclassTargetLeakBothWays() throws {
        // A column holding the class's code plus noise (not monotone in any one class's
        // one-vs-rest score) and a category column that names the class.
        let leaky = try Self.multiclass { _, y, rng in [String(Double((y * 3) % 5) + rng.uniform() * 0.1), "g\(y)"] }
        defer { leaky.remove() }
        let found = try Self.findings(leaky).filter { $0.0 == "target_leak_feature" }
        #expect(found.count == 2 && found.allSatisfy { $0.1 == "block" }, "\(found)")
        // Honest signal: one class shifted, plus noise categories; and one pixel-like column that
        // singles out one class (as a trouser gap does in Fashion-MNIST) — not a leak.
        let honest = try Self.multiclass { _, y, rng in
            [String(rng.normal() + (y == 1 ? 3.0 : 0.0)), "c\(Int(rng.uniform() * 30))"]
        }
        defer { honest.remove() }
        #expect(try !Self.findings(honest).contains { $0.0 == "target_leak_feature" || $0.1 == "block" })
    }

    @Test func multiclassIdOrderAndSplits() throws {
        // Test rows sorted by class with ids 0, 1, 2, …: the ids and row order give it away.
        let sorted = try Self.multiclass(sortedIds: true) { _, _, rng in
            [String(rng.normal()), "c\(Int(rng.uniform() * 30))"]
        }
        defer { sorted.remove() }
        #expect(try Self.findings(sorted).contains { $0 == ("id_order_leak", "block") })
        // A class of the hidden labels that train never shows.
        let noBoots = try Self.multiclass { _, _, rng in [String(rng.normal()), "c\(Int(rng.uniform() * 30))"] }
        defer { noBoots.remove() }
        let trainText = try String(contentsOfFile: noBoots.folder + "/train.csv", encoding: .utf8)
        _ = try noBoots.write(
            "train.csv",
            trainText.split(separator: "\n").filter { !$0.hasSuffix(",boot") }.joined(separator: "\n") + "\n")
        let report = try DatasetChecks.run(
            folder: noBoots.folder, config: try ChallengeConfig.load(folder: noBoots.folder))
        #expect(
            report.findings.contains {
                $0.name.rawValue == "unseen_categories" && $0.message.contains("labels: 1 (first: boot)")
            }, "\(report.text())")
        let shuffled = try Self.multiclass { _, _, rng in [String(rng.normal()), "c\(Int(rng.uniform() * 30))"] }
        defer { shuffled.remove() }
        let clean = try Self.findings(shuffled)
        #expect(!clean.contains { $0.0 == "id_order_leak" || $0.0 == "public_private_split" }, "\(clean)")
        // Every hidden "bag" row on the Public board: the Private board lacks that class.
        let text = try String(contentsOfFile: shuffled.folder + "/solution.csv", encoding: .utf8)
        let moved =
            text.split(separator: "\n").map { line in
                line.contains(",bag,") ? line.replacingOccurrences(of: "Private", with: "Public") : String(line)
            }.joined(separator: "\n") + "\n"
        _ = try shuffled.write("solution.csv", moved)
        #expect(try Self.findings(shuffled).contains { $0 == ("public_private_split", "warning") })
    }

    @Test func multiclassGroupLeakBothWays() throws {
        // Groups (a customer, say) of the rarest class, each repeated: pure groups by chance?
        // No: with 8% prior, four all-"shirt" rows have chance 0.08^4 = 4e-5.
        let leaky = try Self.multiclass { i, y, rng in
            [String(rng.normal()), y == 4 ? "shop\(i % 20)" : "c\(Int(rng.uniform() * 30))"]
        }
        defer { leaky.remove() }
        #expect(try Self.findings(leaky).contains { $0 == ("group_leak", "block") })
        let clean = try Self.multiclass { _, _, rng in [String(rng.normal()), "shop\(Int(rng.uniform() * 20))"] }
        defer { clean.remove() }
        #expect(try !Self.findings(clean).contains { $0.0 == "group_leak" })
    }

    @Test func regressionChecksBothWays() throws {
        var rng = SystemRNG(seed: 3)
        func challenge(_ leak: Bool) throws -> TempChallenge {
            var train = "id,x,copy\n".replacingOccurrences(of: "\n", with: ",label\n")
            var test = "id,x,copy\n"
            var solution = "id,label,Usage\n"
            for i in 0..<2000 {
                let x = rng.normal()
                let y = 2 * x + rng.normal() * 2
                train += "t\(i),\(x),\(leak ? y * 10 : rng.normal()),\(y)\n"
            }
            for j in 0..<500 {
                let x = rng.normal()
                let y = 2 * x + rng.normal() * 2
                test += "s\(j),\(x),\(leak ? y * 10 : rng.normal())\n"
                solution += "s\(j),\(y),\(j % 2 == 0 ? "Public" : "Private")\n"
            }
            let c = try TempChallenge(yaml: "id: reg\ntask: regression\nmetric: rmse\n", solution: solution)
            _ = try c.write("train.csv", train)
            _ = try c.write("test.csv", test)
            return c
        }
        let leaky = try challenge(true)
        let honest = try challenge(false)
        defer {
            leaky.remove()
            honest.remove()
        }
        let found = try Self.findings(leaky)
        #expect(found.contains { $0 == ("target_leak_feature", "block") }, "\(found)")
        // x has a real correlation of 0.7 with the target: not a leak.
        #expect(try Self.findings(honest).isEmpty)
    }

    @Test func reportSaysWhichChecksRanAndWhichCouldNot() throws {
        let c = try TempChallenge(
            yaml: "id: nolabel\ntask: binary\nmetric: auc\n", solution: "id,label,Usage\na,1,Public\nb,0,Private\n")
        defer { c.remove() }
        _ = try c.write("test.csv", "id,x\na,1\nb,2\n")
        // The target column is called 'outcome' in train.csv, not 'label'.
        _ = try c.write("train.csv", "id,x,outcome\nt1,1,0\nt2,2,1\n")
        let report = try DatasetChecks.run(folder: c.folder, config: try ChallengeConfig.load(folder: c.folder))
        #expect(
            report.findings.contains {
                $0.name.rawValue == "label_checks" && $0.severity == .info && $0.message.contains("'label'")
            })
        #expect(Set(report.checksRun.map(\.rawValue)) == ["id_overlap", "public_private_split", "unseen_categories"])
        // One class per board: a warning.
        #expect(report.text().contains("passed: id_overlap, unseen_categories"), "\(report.text())")
        // With the column, every label check runs.
        _ = try c.write("train.csv", "id,x,label\nt1,1,0\nt2,2,1\n")
        let full = try DatasetChecks.run(folder: c.folder, config: try ChallengeConfig.load(folder: c.folder))
        #expect(
            full.checksRun.map(\.rawValue).count == 8 && full.checksRun.map(\.rawValue).contains("group_leak")
                && !full.checksRun.map(\.rawValue).contains("time_split"))
    }

    @Test func rankingHeldOutPairsInTrain() throws {
        var train = "query_id,item_id,rating\n"
        var test = "query_id\n"
        var solution = "query_id,item_id,relevance,Usage\n"
        for u in 0..<50 {
            for m in 0..<20 { train += "u\(u),m\(m * 7 % 100 + u % 3),\(m % 5 + 1)\n" }
            test += "u\(u)\n"
            for m in 0..<5 { solution += "u\(u),h\(m),\(m % 3),\(u % 2 == 0 ? "Public" : "Private")\n" }
        }
        let c = try TempChallenge(yaml: "id: rank\ntask: ranking\nmetric: ndcg@10\n", solution: solution)
        defer { c.remove() }
        _ = try c.write("train.csv", train)
        _ = try c.write("test.csv", test)
        #expect(try Self.findings(c).isEmpty)
        // One held-out rating copied back into train.
        _ = try c.write("train.csv", train + "u7,h2,4\n")
        let report = try DatasetChecks.run(folder: c.folder, config: try ChallengeConfig.load(folder: c.folder))
        #expect(
            report.blocked.count == 1 && report.blocked[0].name.rawValue == "id_overlap"
                && report.blocked[0].message.contains("u7/h2"))
    }
}
