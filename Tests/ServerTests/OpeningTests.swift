import Foundation
import Testing

/// Before `opens`: the challenge is listed, its data and submissions wait.
@Suite("An upcoming challenge", .serialized)
struct OpeningTests {
    @Test func dataAndSubmissionsWaitForTheOpening() async throws {
        let s = try LiveServer(yaml: "", opens: "2099-01-01T00:00:00Z")
        defer { s.remove() }
        try s.account("alice")
        try s.account("prof", role: "instructor")
        try s.start()
        let info = try await s.request("GET", "/api/v1/challenges/arena", as: "alice")
        #expect(info.status == 200 && info.json?["state"] as? String == "upcoming")
        let early = try await s.request("GET", "/api/v1/challenges/arena/files/test.csv", as: "alice")
        #expect(early.status == 403 && early.code == "not_open", "\(early.status) \(early.text)")
        let instructor = try await s.request("GET", "/api/v1/challenges/arena/files/test.csv", as: "prof")
        #expect(instructor.status == 200 && instructor.text.hasPrefix("id,x"))
        let submitted = try await s.submit(try s.predictions(1), as: "alice")
        #expect(submitted.status == 403 && submitted.code == "not_open", "\(submitted.text)")
    }
}
