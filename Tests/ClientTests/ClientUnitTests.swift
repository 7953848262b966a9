import Foundation
import PodiumDomain
import Testing

@testable import PodiumClient

@Suite struct ServerErrorTests {
    let server = "http://127.0.0.1:8080"

    @Test func theServersCodeAndMessageBecomeTheError() {
        let body = Data(#"{"error":{"code":"limit_reached","message":"alice has used 5 of 5 submissions today"}}"#.utf8)
        let error = RemoteError.answer(status: 429, body: body, server: server, retryAfter: nil)
        #expect(error.code == .limitReached)
        #expect(error.message == "alice has used 5 of 5 submissions today")
        #expect(!error.isInternal && !error.code.isRemoteAccess)
    }

    @Test func a401NamesTheServerAndLogin() {
        let body = Data(#"{"error":{"code":"unauthorized","message":"the token is not valid"}}"#.utf8)
        let error = RemoteError.answer(status: 401, body: body, server: server, retryAfter: nil)
        #expect(error.code == .unauthorized && error.code.isRemoteAccess)
        #expect(error.message.contains(server) && error.message.contains("podium login"))
    }

    @Test func a500IsTheJudgesFaultAndAnUnknownBodyKeepsTheStatus() {
        let internalError = RemoteError.answer(
            status: 500, body: Data(#"{"error":{"code":"internal","message":"x"}}"#.utf8), server: server,
            retryAfter: nil)
        #expect(internalError.isInternal)
        let proxy = RemoteError.answer(
            status: 502, body: Data("<html>Bad Gateway</html>".utf8), server: server, retryAfter: nil)
        #expect(proxy.code.rawValue == "http_502")
        #expect(proxy.message.contains("Bad Gateway"))
        let busy = RemoteError.answer(
            status: 429, body: Data(#"{"error":{"code":"rate_limited","message":"slow down"}}"#.utf8), server: server,
            retryAfter: "3")
        #expect(busy.message.hasSuffix("(retry after 3 s)"))
    }

    @Test func pathSegmentsAndHeadersArePercentEncoded() {
        #expect(APIClient.segment("flight-cancellations") == "flight-cancellations")
        #expect(APIClient.segment("a b/c") == "a%20b%2Fc")
        #expect(APIClient.headerValue("gradient boosting, é") == "gradient%20boosting%2C%20%C3%A9")
    }
}

@Suite struct FileChunksTests {
    @Test func aFileIsReadInChunksWithProgress() async throws {
        let folder = try temporaryFolder("chunks")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/data.bin"
        let size = FileChunks.chunkSize * 2 + 123
        let bytes = (0..<size).map { UInt8($0 % 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let seen = Progress()
        let chunks = try FileChunks(path: path) { sent, total in seen.add(sent, total) }
        #expect(chunks.size == Int64(size))
        var read: [UInt8] = []
        var count = 0
        for try await buffer in chunks {
            read += Array(buffer.readableBytesView)
            count += 1
        }
        #expect(read == bytes)
        #expect(count == 3)
        #expect(
            seen.values
                == [(FileChunks.chunkSize, size), (2 * FileChunks.chunkSize, size), (size, size)].map {
                    [Int64($0.0), Int64($0.1)]
                })
    }

    @Test func aMissingFileIsRefusedBeforeAnyRequest() {
        let error = #expect(throws: JudgeError.self) { try FileChunks(path: "/nonexistent/file.csv") { _, _ in } }
        #expect(error?.code == .missingFile)
    }

    final class Progress: @unchecked Sendable {
        let lock = NSLock()
        var values: [[Int64]] = []
        func add(_ sent: Int64, _ total: Int64) {
            lock.lock()
            values.append([sent, total])
            lock.unlock()
        }
    }
}

@Suite struct RemoteTextTests {
    @Test func aScoredReceiptReadsLikeALocalOne() throws {
        let body = #"""
            {"challenge":"flights","submission":7,"participant":"alice","team":"alice","status":"scored",
             "submitted_at":"2026-11-30T10:00:00Z","file":"p.csv","late":false,"held":false,"selected":false,
             "primary":"auc","scores":{"public":{"auc":0.912,"f1":null}},"warnings":["a warning"],
             "checks":["perfect_score (warning)"],"rank":{"before":null,"after":1,"of":3,"pending":0},
             "remaining_today":4,"remaining_total":null,"day_resets_at":"2026-12-01T00:00:00Z"}
            """#
        let s = try JSONDecoder().decode(RemoteSubmission.self, from: Data(body.utf8))
        #expect(
            RemoteText.receipt(s, perDay: 5) == """
                submission 7 by alice: scored
                public auc: 0.912000
                public f1: —
                warning: a warning
                check perfect_score (warning)
                public leaderboard: rank 1 of 3 (new on the board)
                4 of 5 submissions left today (the day resets at 00:00 UTC, 2026-12-01T00:00:00Z)
                """)
    }

    @Test func aRejectedReceiptSaysWhy() throws {
        let body = #"""
            {"submission":8,"participant":"bob","team":"red","status":"rejected","late":false,"held":false,
             "error":{"code":"duplicate_id","message":"id 17 appears twice","row":17}}
            """#
        let s = try JSONDecoder().decode(RemoteSubmission.self, from: Data(body.utf8))
        #expect(
            RemoteText.receipt(s, perDay: nil)
                == "submission 8 by bob (team red): rejected\nduplicate_id: id 17 appears twice")
    }

    @Test func aBoardTable() throws {
        let body = #"""
            {"challenge":"flights","board":"public","metric":"auc","higher_is_better":true,"version":2,
             "ladder_step":null,"tie_note":"≈ note","pending":0,"entries":[
             {"rank":1,"team":"alice","score":0.9,"submission":3,"entries":2,"submitted_at":"2026-11-30T10:00:00Z",
              "ci_low":null,"ci_high":null,"tied_with_above":false,"scored_version":2},
             {"rank":2,"team":"bob","score":0.8,"submission":4,"entries":1,"submitted_at":"2026-11-30T11:00:00Z",
              "ci_low":null,"ci_high":null,"tied_with_above":true,"scored_version":1}]}
            """#
        let text = RemoteText.board(try JSONDecoder().decode(RemoteBoard.self, from: Data(body.utf8)))
        #expect(text.hasPrefix("flights — public leaderboard, auc (higher is better), version 2\nrank team   score"))
        #expect(text.contains("2    bob    0.800000 (v1)1        2026-11-30T11:00:00Z  ≈ tied with the rank above"))
        #expect(text.hasSuffix("≈ note"))
    }

    @Test func aListingHasNoPrivateColumnBeforeTheClose() throws {
        let body = #"""
            [{"id":3,"participant":"alice","team":"alice","submitted_at":"2026-11-30T10:00:00Z","status":"scored",
              "late":false,"selected":true,"held":false,"file":"p.csv","sha256":"ab","public":0.9,
              "scored_version":1,"pending":false,"message":"m"}]
            """#
        let rows = try JSONDecoder().decode([RemoteRow].self, from: Data(body.utf8))
        let text = RemoteText.listing(rows, metric: "auc", version: 1)
        #expect(!text.contains("private"))
        #expect(text.contains("0.900000"))
        #expect(text.hasSuffix("selected"))
    }
}
