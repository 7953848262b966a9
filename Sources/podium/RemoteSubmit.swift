import Foundation
import PodiumClient
import PodiumDomain

// The remote branch of `podium submit`: upload, then wait for the score.

extension Submit {
    func runRemote(_ api: APIClient) async throws {
        try RemoteMode.refuseAs(participant)
        let path = RemoteMode.challengePath(challenge)
        // The challenge and the token are checked before a long upload (and give the daily limit).
        let info: RemoteChallenge = try await api.get(path)
        let name = (file as NSString).lastPathComponent
        var headers = [("Podium-File-Name", APIClient.headerValue(name))]
        if let message { headers.append(("Podium-Message", APIClient.headerValue(message))) }
        let bar = TransferBar("uploading \(name)")
        let answer: APIClient.Answer
        do {
            answer = try await api.upload(path + "/submissions", file: file, headers: headers) { bar.update($0, $1) }
            bar.finish()
        } catch {
            bar.finish()
            var error = error
            // The answer was lost: the file may have arrived and been accepted all the same.
            if error.code == .unreachable {
                error.message +=
                    "; if the upload had finished it may have been accepted: podium submissions \(challenge) shows it "
                    + "before you send it again"
            }
            throw error
        }
        let accepted: RemoteAccepted = try answer.decoded()
        if noWait {
            if global.json { return RemoteMode.printBody(answer) }
            let position = accepted.queuePosition.map { ", position \($0) in the queue" } ?? ""
            print(
                "submission \(accepted.submission): \(accepted.status)\(position) (podium submissions \(challenge) --id "
                    + "\(accepted.submission) shows it)")
            return
        }
        let final = try await wait(api, id: accepted.id, number: accepted.submission)
        if global.json {
            RemoteMode.printBody(final.answer)
        } else {
            print(RemoteText.receipt(final.submission, perDay: info.perDay))
        }
        switch final.submission.status {
        case .rejected: throw ExitWith(status: 1)
        case .failed: throw ExitWith(status: final.submission.error?.isInternal == true ? 3 : 1)
        default: return
        }
    }

    /// Polls `GET /submissions/{id}?wait=30` until the status is final, saying the queue position
    /// on stderr while it waits.
    func wait(_ api: APIClient, id: String, number: Int64) async throws(JudgeError) -> (
        answer: APIClient.Answer, submission: RemoteSubmission
    ) {
        let terminal = isatty(2) == 1
        var last = ""
        while true {
            let answer = try await api.send(
                .GET, "/api/v1/submissions/\(APIClient.segment(id))?wait=30", timeout: .seconds(150))
            let submission: RemoteSubmission = try answer.decoded()
            if submission.status.isFinal {
                if terminal && !last.isEmpty { status("", sameLine: true) }
                return (answer, submission)
            }
            let line =
                submission.status == .queued
                ? "queued" + (submission.queuePosition.map { ", position \($0) in the queue" } ?? "") : "running"
            if line != last {
                status("submission \(number): \(line)", sameLine: terminal)
                last = line
            }
        }
    }
}
