import Foundation
import PodiumClient
import PodiumDomain

// The remote branches of `podium challenges` and `podium info`.

extension Challenges {
    func runRemote(_ api: APIClient) async throws(JudgeError) {
        try RemoteMode.refuseAs(participant)
        let answer = try await api.send(.GET, "/api/v1/challenges")
        if global.json { return RemoteMode.printBody(answer) }
        print(RemoteText.challenges(try answer.decoded(), server: api.server))
    }
}

extension Info {
    func runRemote(_ api: APIClient) async throws(JudgeError) {
        try RemoteMode.refuseAs(participant)
        let answer = try await api.send(.GET, RemoteMode.challengePath(challenge))
        if global.json { return RemoteMode.printBody(answer) }
        print(RemoteText.info(try answer.decoded()))
    }
}
