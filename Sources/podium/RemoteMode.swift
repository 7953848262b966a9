import ArgumentParser
import Foundation
import PodiumClient
import PodiumDomain

/// Whether a verb talks to a server: yes when one is configured (`$PODIUM_SERVER` or the
/// credentials file of `podium login`) and `--home` is not given.
enum RemoteMode {
    /// The client of the configured server, or nil for local mode.
    static func client(_ global: GlobalOptions) throws(JudgeError) -> APIClient? {
        guard global.home == nil, let remote = try Remote.configured(environment: Root.environment) else { return nil }
        guard remote.token != nil else {
            throw JudgeError(
                code: .unauthorized,
                message: "no token for the server \(remote.server); run podium login --server \(remote.server)")
        }
        return APIClient(server: remote.server, token: remote.token)
    }

    /// `--as` names a participant on a local home; a server knows who you are from the token.
    static func refuseAs(_ participant: String?) throws(JudgeError) {
        if participant != nil {
            throw JudgeError(
                code: .usage,
                message: "--as is for a local home: the server knows you from your token (pass --home to work locally)"
            )
        }
    }

    /// A local-only flag given in remote mode.
    static func refuse(_ flag: String, _ given: Bool) throws(JudgeError) {
        if given {
            throw JudgeError(code: .usage, message: "\(flag) works on a local home only (pass --home to work locally)")
        }
    }

    /// Prints a body as the server sent it (`--json`).
    static func printBody(_ answer: APIClient.Answer) {
        FileHandle.standardOutput.write(answer.body)
        if answer.body.last != 0x0A { FileHandle.standardOutput.write(Data([0x0A])) }
    }

    /// A submission's path: `/api/v1/submissions/CHALLENGE-N`.
    static func submissionPath(_ challenge: String, _ number: Int64) -> String {
        "/api/v1/submissions/" + APIClient.segment("\(challenge)-\(number)")
    }

    /// A challenge's path: `/api/v1/challenges/ID`.
    static func challengePath(_ id: String) -> String { "/api/v1/challenges/" + APIClient.segment(id) }
}

/// A transfer's progress on stderr when it is a terminal: bytes, percent, rate.
final class TransferBar: @unchecked Sendable {
    let label: String
    let terminal = isatty(2) == 1
    let start = Date()
    let lock = NSLock()
    var shown = false
    var lastPercent = -1

    init(_ label: String) { self.label = label }

    func update(_ sent: Int64, _ total: Int64) {
        guard terminal else { return }
        lock.lock()
        defer { lock.unlock() }
        let percent = total > 0 ? Int(100 * sent / total) : 100
        guard percent != lastPercent else { return }
        lastPercent = percent
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let width = 30
        let filled = width * percent / 100
        let line =
            "\r\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(percent)%  \(megabytes(sent))/\(megabytes(total)) MB  "
            + String(format: "%.1f MB/s ", Double(sent) / 1_048_576 / seconds)
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
        shown = false
    }

    func megabytes(_ n: Int64) -> String { String(format: "%.1f", Double(n) / 1_048_576) }
}

/// A line on stderr that replaces itself on a terminal (the queue position while waiting).
func status(_ text: String, sameLine: Bool) {
    FileHandle.standardError.write(Data(((sameLine ? "\r" : "") + text + (sameLine ? "\u{1B}[K" : "\n")).utf8))
}

extension RemoteMode {
    /// Where a command works, for its error hints: the configured server, else the home folder.
    static func place(_ global: GlobalOptions) -> String {
        if global.home == nil, let remote = try? Remote.configured(environment: Root.environment) {
            return remote.server
        }
        return Root.home(global.home)
    }
}

extension RemoteMode {
    /// Whether the verbs talk to a server (for validation: a broken configuration counts as remote,
    /// and says so when the command runs).
    static func isRemote(_ global: GlobalOptions) -> Bool {
        guard global.home == nil else { return false }
        do { return try Remote.configured(environment: Root.environment) != nil } catch { return true }
    }
}
