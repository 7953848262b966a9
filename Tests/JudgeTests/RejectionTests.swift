import Foundation
import PodiumDomain
import PodiumMetrics
import Testing

/// A file that must be refused with a stable code, row and column.
struct Rejection: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    let solution: String
    let submission: String
    let code: String
    let row: Int?
    let column: String?
    var testDescription: String { name }
}

let binaryYAML = "id: t\ntask: binary\nmetric: auc\n"
let binarySolution = "id,label,Usage\n1,0,Public\n2,1,Public\n3,1,Private\n4,0,Private\n"
let multiYAML = "id: m\ntask: multiclass\nmetric: accuracy\nclasses: [cat, dog, bird]\n"
let multiSolution = "id,label,Usage\n1,cat,Public\n2,dog,Public\n3,bird,Private\n"
let rankYAML = "id: r\ntask: ranking\nmetric: ndcg@10\n"
let rankSolution = "query_id,item_id,relevance,Usage\nq1,a,1,Public\nq1,b,0,Public\nq2,c,2,Private\n"

func binary(_ name: String, _ sub: String, _ code: String, _ row: Int?, _ column: String?) -> Rejection {
    Rejection(
        name: name, yaml: binaryYAML, solution: binarySolution, submission: sub, code: code, row: row, column: column)
}

let rejections: [Rejection] = [
    binary("empty file", "", "empty_file", nil, nil),
    binary("only a BOM and blank lines", "\u{FEFF}\n\n", "empty_file", nil, nil),
    binary("unclosed quote", "id,prediction\n1,0.1\n\"2,0.5\n3,0.2\n", "malformed_csv", 3, nil),
    binary("text after a closing quote", "id,prediction\n\"1\"x,0.1\n", "malformed_csv", 2, nil),
    binary("ragged row", "id,prediction\n1,0.1\n2,0.5,9\n3,0.1\n4,0.2\n", "ragged_row", 3, nil),
    binary("short row", "id,prediction\n1,0.1\n2\n", "ragged_row", 3, nil),
    binary("missing column", "id,pred\n1,0.1\n", "missing_column", 1, "prediction"),
    binary("missing id column", "ID,prediction\n1,0.1\n", "missing_column", 1, "id"),
    binary("duplicate column", "id,prediction,prediction\n1,0.1,0.2\n", "duplicate_column", 1, "prediction"),
    binary("duplicate id", "id,prediction\n1,0.1\n2,0.2\n1,0.3\n3,0.1\n4,0.1\n", "duplicate_id", 4, "id"),
    binary("missing id", "id,prediction\n1,0.1\n2,0.2\n", "missing_id", nil, "id"),
    binary("unknown id", "id,prediction\n1,0.1\n2,0.2\n3,0.3\n4,0.4\n5,0.5\n", "unknown_id", 6, "id"),
    binary("ids are exact strings", "id,prediction\n1,0.1\n02,0.2\n3,0.3\n4,0.4\n", "unknown_id", 3, "id"),
    binary("empty value", "id,prediction\n1,0.1\n2,\n3,0.3\n4,0.4\n", "empty_value", 3, "prediction"),
    binary("NA value", "id,prediction\n1,NA\n2,0.1\n3,0.3\n4,0.4\n", "empty_value", 2, "prediction"),
    binary("empty id", "id,prediction\n,0.1\n", "empty_value", 2, "id"),
    binary("non numeric", "id,prediction\n1,0.1\n2,abc\n", "non_numeric", 3, "prediction"),
    binary("comma decimal", "id,prediction\n1,\"0,5\"\n", "non_numeric", 2, "prediction"),
    binary("hex float", "id,prediction\n1,0x1p3\n", "non_numeric", 2, "prediction"),
    binary("nan", "id,prediction\n1,nan\n", "non_finite", 2, "prediction"),
    binary("inf", "id,prediction\n1,0.2\n2,-inf\n", "non_finite", 3, "prediction"),
    binary("beyond float64", "id,prediction\n1,1e999\n", "non_finite", 2, "prediction"),
    Rejection(
        name: "unknown label", yaml: multiYAML, solution: multiSolution,
        submission: "id,prediction\n1,cat\n2,fish\n3,dog\n", code: "unknown_label", row: 3, column: "prediction"),
    Rejection(
        name: "negative probability", yaml: multiYAML, solution: multiSolution,
        submission: "id,cat,dog,bird\n1,0.5,0.5,0\n2,0.2,-0.1,0.9\n3,0,0,1\n", code: "negative_probability", row: 3,
        column: "dog"),
    Rejection(
        name: "missing probability column", yaml: multiYAML, solution: multiSolution,
        submission: "id,cat,dog\n1,0.5,0.5\n", code: "missing_column", row: 1, column: "bird"),
    Rejection(
        name: "duplicate item", yaml: rankYAML, solution: rankSolution,
        submission: "query_id,item_id,score\nq1,a,0.9\nq1,b,0.5\nq1,a,0.1\nq2,c,1\n", code: "duplicate_item", row: 4,
        column: "item_id"),
    Rejection(
        name: "unknown query", yaml: rankYAML, solution: rankSolution,
        submission: "query_id,item_id,score\nq1,a,0.9\nq9,b,0.5\n", code: "unknown_query", row: 3, column: "query_id"),
    Rejection(
        name: "unknown query in list form", yaml: rankYAML, solution: rankSolution,
        submission: "query_id,items\nq1,a b\nq7,c\n", code: "unknown_query", row: 3, column: "query_id"),
    Rejection(
        name: "list form missing query", yaml: rankYAML, solution: rankSolution,
        submission: "query_id,items\nq1,a b\n", code: "missing_id", row: nil, column: "query_id"),
    Rejection(
        name: "list form repeated query", yaml: rankYAML, solution: rankSolution,
        submission: "query_id,items\nq1,a b\nq2,c\nq1,b\n", code: "duplicate_id", row: 4, column: "query_id"),
    Rejection(
        name: "solution with a duplicate id", yaml: binaryYAML,
        solution: "id,label,Usage\n2,0,Public\n1,1,Public\n2,1,Private\n",
        submission: "id,prediction\n1,0.1\n2,0.2\n", code: "duplicate_id", row: nil, column: nil),
    Rejection(
        name: "solution with a bad Usage", yaml: binaryYAML, solution: "id,label,Usage\n1,0,Public\n2,1,Secret\n",
        submission: "id,prediction\n1,0.1\n2,0.2\n", code: "unknown_label", row: 3, column: "Usage"),
    Rejection(
        name: "binary solution label not 0/1", yaml: binaryYAML, solution: "id,label,Usage\n1,0,Public\n2,yes,Public\n",
        submission: "id,prediction\n1,0.1\n2,0.2\n", code: "non_numeric", row: 3, column: "label"),
]

@Suite("Bad files are refused with a stable code, row and column")
struct RejectionTests {
    @Test(arguments: rejections)
    func refused(_ r: Rejection) throws {
        let challenge = try TempChallenge(yaml: r.yaml, solution: r.solution)
        defer { challenge.remove() }
        let result = try challenge.score(r.submission)
        guard case .failure(let error) = result else {
            Issue.record("\(r.name) was scored, expected \(r.code)")
            return
        }
        #expect(error.code.rawValue == r.code, "\(error)")
        #expect(error.row == r.row, "\(error)")
        if let column = r.column { #expect(error.column == column, "\(error)") }
        #expect(!error.message.isEmpty)
    }

    @Test func missingIdReportsCountAndFirstIds() throws {
        let challenge = try TempChallenge(yaml: binaryYAML, solution: binarySolution)
        defer { challenge.remove() }
        guard case .failure(let error) = try challenge.score("id,prediction\n3,0.1\n") else {
            Issue.record("scored")
            return
        }
        #expect(error.code.rawValue == "missing_id")
        #expect(error.count == 3)
        #expect(error.ids == ["1", "2", "4"])
    }
}

@Suite("CSV rules of DESIGN §3 are accepted")
struct CSVRuleTests {
    /// Each variant must score exactly like the plain file.
    static let variants: [(String, String)] = [
        ("CRLF line ends", "id,prediction\r\n1,0.1\r\n2,0.8\r\n3,0.7\r\n4,0.2\r\n"),
        ("UTF-8 BOM", "\u{FEFF}id,prediction\n1,0.1\n2,0.8\n3,0.7\n4,0.2\n"),
        ("no final newline", "id,prediction\n1,0.1\n2,0.8\n3,0.7\n4,0.2"),
        ("blank lines", "\nid,prediction\n\n1,0.1\n2,0.8\n\r\n3,0.7\n4,0.2\n\n"),
        (
            "columns reordered, extra column",
            "note,prediction,id\n\"a, b\",0.1,1\nx,0.8,2\n\"multi\nline\",0.7,3\n,0.2,4\n"
        ),
        ("quoted ids and values", "id,prediction\n\"1\",\"0.1\"\n\"2\",0.8\n3,\"0.7\"\n4,0.2\n"),
        ("number spellings", "id,prediction\n1,1e-1\n2,+.8\n3,  7e-1\t\n4,.2\n"),
        ("rows in another order", "id,prediction\n4,0.2\n2,0.8\n1,0.1\n3,0.7\n"),
    ]

    @Test(arguments: variants.map(\.0))
    func accepted(_ name: String) throws {
        let text = Self.variants.first { $0.0 == name }!.1
        let challenge = try TempChallenge(yaml: binaryYAML + "metrics: [f1, logloss]\n", solution: binarySolution)
        defer { challenge.remove() }
        let plain = try challenge.score("id,prediction\n1,0.1\n2,0.8\n3,0.7\n4,0.2\n").get()
        let variant = try challenge.score(text).get()
        for split in [PodiumMetrics.Split.public, .private] {
            #expect(variant.scores[split] == plain.scores[split], "\(name)")
        }
    }

    @Test func quotedIdsWithCommasAndQuotes() throws {
        let challenge = try TempChallenge(
            yaml: binaryYAML,
            solution:
                "id,label,Usage\n\"a,1\",0,Public\n\"say \"\"hi\"\"\",1,Public\nplain,1,Private\n\"x\ny\",0,Private\n")
        defer { challenge.remove() }
        let report = try challenge.score(
            "id,prediction\n\"say \"\"hi\"\"\",0.9\n\"a,1\",0.1\n\"x\ny\",0.2\nplain,0.8\n"
        ).get()
        #expect(report.outcome("auc", .public)?.value == 1)
        #expect(report.outcome("auc", .private)?.value == 1)
    }

    @Test func fifteenDigitAndLongNumbersRoundCorrectly() throws {
        let challenge = try TempChallenge(
            yaml: "id: t\ntask: regression\nmetric: mae\n", solution: "id,label,Usage\n1,0,Public\n2,0,Public\n")
        defer { challenge.remove() }
        let report = try challenge.score(
            "id,prediction\n1,0.1000000000000000055511151231257827\n2,123456789012345678901234567890e-29\n"
        ).get()
        // strtod's correctly rounded values: 0.1 and 1.2345678901234568.
        #expect(report.outcome("mae", .public)?.value == (0.1 + 1.2345678901234568) / 2)
    }
}
