import Foundation
import PodiumClient
import PodiumDomain
import PodiumRendering

// The remote branches of `podium submissions`, `select`, `clear` and `leaderboard`.

extension Submissions {
    func runRemote(_ api: APIClient) async throws {
        try RemoteMode.refuseAs(participant)
        if let id {
            let answer = try await api.send(.GET, RemoteMode.submissionPath(challenge, id))
            if global.json { return RemoteMode.printBody(answer) }
            let info: RemoteChallenge = try await api.get(RemoteMode.challengePath(challenge))
            return print(RemoteText.receipt(try answer.decoded(), perDay: info.perDay))
        }
        let answer = try await api.send(.GET, RemoteMode.challengePath(challenge) + "/submissions")
        if global.json { return RemoteMode.printBody(answer) }
        let info: RemoteChallenge = try await api.get(RemoteMode.challengePath(challenge))
        print(RemoteText.listing(try answer.decoded(), metric: info.metric, version: info.version))
    }
}

extension Select {
    func runRemote(_ api: APIClient) async throws {
        let answer = try await api.send(
            .PUT, RemoteMode.challengePath(challenge) + "/selection", json: SelectionRequest(ids: ids))
        if global.json { return RemoteMode.printBody(answer) }
        let chosen: RemoteSelection = try answer.decoded()
        let replaced = chosen.replaced.flatMap { $0.isEmpty ? nil : $0 }.map {
            " (replacing \($0.map(String.init).joined(separator: ", ")))"
        }
        print(
            "\(chosen.team): selected \(chosen.ids.map(String.init).joined(separator: ", ")) for the private "
                + "leaderboard" + (replaced ?? ""))
    }

    struct SelectionRequest: Encodable, Sendable { var ids: [Int64] }
}

extension Clear {
    func runRemote(_ api: APIClient) async throws {
        let answer = try await api.send(
            .POST, RemoteMode.submissionPath(challenge, id) + "/clear", json: ClearRequest(reason: reason))
        if global.json { return RemoteMode.printBody(answer) }
        print("submission \(id) cleared: back on the public leaderboard")
    }

    struct ClearRequest: Encodable, Sendable { var reason: String }
}

extension Leaderboard {
    func runRemote(_ api: APIClient) async throws {
        try RemoteMode.refuse("--version", version != nil)
        let chosen: BoardFormat = global.json ? .json : format
        guard chosen == .table || chosen == .csv || chosen == .json else {
            throw JudgeError(
                code: .usage,
                message: "a server's leaderboard comes as table, csv or json (the web page has the HTML board)")
        }
        let board = privateBoard ? "private" : "public"
        let answer = try await api.send(
            .GET,
            RemoteMode.challengePath(challenge)
                + "/leaderboard?board=\(board)&format=\(chosen == .csv ? "csv" : "json")"
        )
        var text = String(decoding: answer.body, as: UTF8.self)
        if chosen == .table { text = RemoteText.board(try answer.decoded()) }
        while text.hasSuffix("\n") { text.removeLast() }
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw JudgeError(
                    code: .unwritableOutput,
                    message: "cannot write \(output): \((error as NSError).localizedDescription)")
            }
            FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
        } else {
            print(text)
        }
    }
}
