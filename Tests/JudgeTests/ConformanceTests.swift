import Foundation
import PodiumDomain
import PodiumMetrics
import Testing

/// One challenge of conformance.json: inputs and the scores the references computed.
struct ConformanceCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    let solution: String
    let submission: String
    let expected: [String: [String: Double?]]
    var testDescription: String { name }

    static func load() -> [ConformanceCase] {
        let data = try! Data(contentsOf: fixtures.appendingPathComponent("conformance.json"))
        let list = try! JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        return list.map { c in
            let config = c["config"] as! [String: Any]
            var yaml = "id: \(config["id"]!)\ntask: \(config["task"]!)\nmetric: \"\(config["metric"]!)\"\n"
            let extra = (config["metrics"] as! [String]).map { "\"\($0)\"" }.joined(separator: ", ")
            yaml += "metrics: [\(extra)]\n"
            if let t = config["threshold"] as? Double { yaml += "threshold: \(t)\n" }
            if let classes = config["classes"] as? [String] {
                yaml += "classes: [\(classes.joined(separator: ", "))]\n"
            }
            let expected = (c["expected"] as! [String: [String: Any]]).mapValues { split in
                split.mapValues { v -> Double? in (v as? NSNumber)?.doubleValue }
            }
            return ConformanceCase(
                name: c["name"] as! String, yaml: yaml, solution: c["solution"] as! String,
                submission: c["submission"] as! String, expected: expected)
        }
    }
}

@Suite("Scores equal the reference implementations")
struct ConformanceTests {
    @Test(arguments: ConformanceCase.load())
    func matchesReference(_ c: ConformanceCase) throws {
        let challenge = try TempChallenge(yaml: c.yaml, solution: c.solution)
        defer { challenge.remove() }
        let report = try challenge.score(c.submission).get()
        for split in Split.allCases {
            for (metric, want) in c.expected[split.rawValue]! {
                let got = try #require(report.outcome(metric, split), "\(metric) missing")
                if let want {
                    let value = try #require(
                        got.value, "\(metric) on \(split) is undefined (\(got.reason ?? "")), expected \(want)")
                    #expect(close(value, want), "\(metric) on \(split): \(value) != \(want)")
                } else {
                    #expect(got.value == nil, "\(metric) on \(split) should be undefined, got \(got)")
                    #expect(got.reason != nil)
                }
            }
        }
    }
}
