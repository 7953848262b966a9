import Foundation
import Testing

@Suite("podium score, run as a process", .serialized)
struct CommandLineTests {
    let yaml = "id: cli\ntask: binary\nmetric: auc\nmetrics: [f1, logloss]\n"
    let solution = "id,label,Usage\n1,0,Public\n2,1,Public\n3,1,Private\n4,0,Private\n5,0,Ignored\n"
    let plain = "id,prediction\n1,0.1\n2,0.8\n3,0.7\n4,0.2\n5,0.5\n"

    @Test func jsonShapeAndExitZero() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        let sub = try c.write("sub.csv", "id,prediction\n1,0.1\n2,0.8\n3,0.3\n4,0.4\n5,0.5\n")
        let r = try run(podiumPath, ["score", "--challenge", c.folder, sub, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(r.json)
        #expect(json["status"] as? String == "scored")
        #expect(json["primary"] as? String == "auc")
        let scores = try #require(json["scores"] as? [String: [String: Any]])
        #expect(scores["public"]?["auc"] as? Double == 1.0)
        #expect(scores["private"]?["auc"] as? Double == 0.0)
        #expect(scores["private"]?["f1"] as? Double == 0.0)
        #expect(json["undefined"] != nil && json["warnings"] != nil && json["checks"] != nil)
    }

    @Test func undefinedMetricIsNullWithReason() throws {
        let c = try TempChallenge(
            yaml: yaml, solution: "id,label,Usage\n1,0,Public\n2,1,Public\n3,0,Private\n4,0,Private\n")
        defer { c.remove() }
        let sub = try c.write("sub.csv", "id,prediction\n1,0.1\n2,0.8\n3,0.7\n4,0.2\n")
        let r = try run(podiumPath, ["score", "--challenge", c.folder, sub, "--json"])
        let json = try #require(r.json)
        let scores = try #require(json["scores"] as? [String: [String: Any]])
        #expect(scores["private"]?["auc"] is NSNull)
        let undefined = try #require(json["undefined"] as? [String: [String: String]])
        #expect(undefined["private"]?["auc"] == "only one class present")
    }

    @Test func rejectionExitsOneWithCode() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        let sub = try c.write("sub.csv", "id,prediction\n1,0.1\n1,0.8\n")
        let r = try run(podiumPath, ["score", "--challenge", c.folder, sub, "--json"])
        #expect(r.status == 1)
        let json = try #require(r.json)
        #expect(json["status"] as? String == "rejected")
        let error = try #require(json["error"] as? [String: Any])
        #expect(error["code"] as? String == "duplicate_id")
        #expect(error["row"] as? Int == 3)
        let human = try run(podiumPath, ["score", "--challenge", c.folder, sub])
        #expect(human.status == 1)
        #expect(human.stderr.contains("duplicate_id") && human.stderr.contains("row 3"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try run(podiumPath, ["score"]).status == 2)
        #expect(try run(podiumPath, ["score", "--challenge", "/nonexistent", "x.csv", "--bogus"]).status == 2)
        #expect(try run(podiumPath, ["frobnicate"]).status == 2)
        #expect(try run(podiumPath, ["score", "--help"]).status == 0)
    }

    @Test func unknownMetricFlagIsRefused() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        let sub = try c.write("sub.csv", plain)
        let r = try run(podiumPath, ["score", "--challenge", c.folder, sub, "--metric", "ndcg@10", "--json"])
        #expect(r.status == 1)
        let good = try run(podiumPath, ["score", "--challenge", c.folder, sub, "--metric", "accuracy", "--json"])
        let scores = try #require(good.json?["scores"] as? [String: [String: Any]])
        #expect(scores["public"]?["accuracy"] as? Double == 1.0)
    }

    @Test func confidenceIntervalIsReproducible() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        var rows = "id,label,Usage\n"
        var sub = "id,prediction\n"
        var state: UInt64 = 42
        for i in 0..<400 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let y = (state >> 33) % 3 == 0 ? 1 : 0
            let p = Double((state >> 20) % 1000) / 1000 * 0.6 + Double(y) * 0.3
            rows += "\(i),\(y),\(i % 2 == 0 ? "Public" : "Private")\n"
            sub += "\(i),\(p)\n"
        }
        try rows.write(toFile: c.folder + "/solution.csv", atomically: true, encoding: .utf8)
        let path = try c.write("sub.csv", sub)
        let a = try run(podiumPath, ["score", "--challenge", c.folder, path, "--json", "--ci"])
        let b = try run(podiumPath, ["score", "--challenge", c.folder, path, "--json", "--ci"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        let ci = try #require(a.json?["ci"] as? [String: [String: Any]])
        let auc = try #require((a.json?["scores"] as? [String: [String: Any]])?["public"]?["auc"] as? Double)
        let low = try #require(ci["public"]?["low"] as? Double)
        let high = try #require(ci["public"]?["high"] as? Double)
        #expect(low < auc && auc < high)
        #expect(high - low < 0.3)
        #expect(ci["public"]?["resamples"] as? Int == 1000)
    }

    @Test func perfectSubmissionRaisesCheck() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        let sub = try c.write("sub.csv", "id,prediction\n1,0\n2,1\n3,1\n4,0\n5,0\n")
        let r = try run(podiumPath, ["score", "--challenge", c.folder, sub, "--json"])
        let checks = try #require(r.json?["checks"] as? [[String: Any]])
        #expect(checks.first?["name"] as? String == "perfect_score")
        #expect(checks.first?["severity"] as? String == "warning")
    }
}
