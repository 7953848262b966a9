import Foundation
import Testing

/// The API as a contract: `docs/openapi.json` is what `GET /api/v1/openapi.json` serves, byte for
/// byte, and it names every route the router has, no more (scripts/api-fuzz.sh then checks the
/// answers against it).
@Suite("The OpenAPI document", .serialized)
struct OpenAPITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theServedDocumentIsDocsOpenAPIJSONByteForByte() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.start()
        let file = try Data(contentsOf: Self.root.appendingPathComponent("docs/openapi.json"))
        // No token needed.
        let reply = try await s.request("GET", "/api/v1/openapi.json")
        #expect(reply.status == 200, "\(reply.text.prefix(200))")
        #expect(reply.header("Content-Type") == "application/json; charset=utf-8")
        #expect(reply.body == file, "docs/openapi.json was edited without `python3 scripts/embed-openapi.py`")
        let document = try #require(reply.json)
        #expect(document["openapi"] as? String == "3.1.0")
    }

    /// Every `METHOD /path` the router registers is in the document and the document names no
    /// other. A new route (an `api.get("…", use: …)` in any file of Sources/PodiumHTTP) fails
    /// this test until it is documented.
    @Test func everyRouteOfTheRouterIsDocumentedAndNoOther() throws {
        let routes = try Self.registeredRoutes()
        let documented = try Self.documentedOperations()
        #expect(routes.count >= 18, "the route extraction found only \(routes.sorted())")
        #expect(routes.subtracting(documented).isEmpty, "not documented: \(routes.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(routes).isEmpty, "documented, no route: \(documented.subtracting(routes).sorted())")
    }

    /// The extraction reads routes written the way the route files write them (the control for
    /// the test above: a route added in that style is seen).
    @Test func theRouteExtractionSeesANewRoute() {
        let source = """
                api.get("challenges/:id/audit", use: audit)
                api.delete("things/:thing", use: remove)
                router.get("/api/v1/health2") { _, _ in "ok" }
                router.get("/c/:id") { _, _ in "a page" }
            """
        #expect(
            Self.routes(in: source)
                == ["GET /api/v1/challenges/{id}/audit", "DELETE /api/v1/things/{thing}", "GET /api/v1/health2"])
    }

    /// Two operations need no token; every other one says `401` and `429` (the per-token rate).
    @Test func theSecurityAndTheCommonAnswersAreDeclared() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var open: [String] = []
        for (path, operations) in paths {
            for (method, value) in operations {
                let operation = try #require(value as? [String: Any])
                let responses = try #require(operation["responses"] as? [String: Any])
                if let security = operation["security"] as? [Any], security.isEmpty {
                    open.append("\(method.uppercased()) \(path)")
                    continue
                }
                #expect(responses["401"] != nil && responses["429"] != nil, "\(method) \(path)")
            }
        }
        #expect(open.sorted() == ["GET /api/v1/openapi.json", "POST /api/v1/tokens"])
    }

    /// DESIGN §7: a submission may also come as a multipart form (`file` part, `message` field).
    @Test func aSubmissionAsAMultipartForm() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        let boundary = "podium\(UInt32.random(in: 0...UInt32.max))"
        let csv = try String(contentsOfFile: try s.predictions(1), encoding: .utf8)
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nfrom a form\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dir/preds.csv\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
        let reply = try await s.request(
            "POST", "/api/v1/challenges/arena/submissions", as: "alice", body: Data(body.utf8),
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        #expect(reply.status == 202, "\(reply.text)")
        #expect(reply.header("Location") == "/api/v1/submissions/arena-1")
        let final = try await s.final("arena-1", as: "alice")
        #expect(final.json?["status"] as? String == "scored", "\(final.text)")
        #expect(final.json?["message"] as? String == "from a form")
        #expect(final.json?["file"] as? String == "preds.csv")
        // A form without its file part is refused, and nothing is stored.
        let empty =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nno file\r\n--\(boundary)--\r\n"
        let refused = try await s.request(
            "POST", "/api/v1/challenges/arena/submissions", as: "alice", body: Data(empty.utf8),
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        #expect(refused.status == 400 && refused.code == "empty_upload", "\(refused.status) \(refused.text)")
        let list = try await s.request("GET", "/api/v1/challenges/arena/submissions", as: "alice")
        #expect(list.array?.count == 1)
    }

    // MARK: reading the router and the document

    /// How the route files register routes: `api.METHOD("path", …)` under `/api/v1`, or
    /// `router.METHOD("/api/…")`. Extend the list if routes are ever registered another way.
    static let registrations: [(pattern: String, prefix: String)] = [
        (#"\bapi\.(get|post|put|delete|patch)\(\s*"([^"]*)""#, "/api/v1/"),
        (#"\brouter\.(get|post|put|delete|patch)\(\s*"(/api/[^"]*)""#, ""),
    ]

    static func routes(in source: String) -> [String] {
        var found: [(Int, String)] = []
        for (pattern, prefix) in registrations {
            let regex = try! NSRegularExpression(pattern: pattern)
            let text = source as NSString
            for match in regex.matches(in: source, range: NSRange(location: 0, length: text.length)) {
                let method = text.substring(with: match.range(at: 1)).uppercased()
                let path = (prefix + text.substring(with: match.range(at: 2))).split(separator: "/").map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }
                found.append((match.range.location, "\(method) /" + path.joined(separator: "/")))
            }
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    static func registeredRoutes() throws -> Set<String> {
        let folder = root.appendingPathComponent("Sources/PodiumHTTP")
        var all = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
            // The generated document quotes every path: it is what is checked, not a source.
            guard name != "OpenAPIDocument.swift" else { continue }
            all.formUnion(routes(in: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)))
        }
        return all
    }

    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("docs/openapi.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "post", "put", "delete", "patch"]
        return Set(
            paths.flatMap { path, operations in
                operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })
    }
}
