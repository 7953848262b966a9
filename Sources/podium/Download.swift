import ArgumentParser
import Foundation
import PodiumApp
import PodiumClient
import PodiumDomain
import PodiumFiles

struct Download: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download a challenge's public files (train.csv, test.csv), checked against their SHA-256.",
        discussion: """
            From the server when one is configured (podium login); from the home's current version with --home.
            The files go to DIR (default: a folder named after the challenge); a file whose SHA-256 is not the one \
            podium info shows is not kept.

            Example:
              podium download flight-cancellations -o data
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The challenge id.")
    var challenge: String

    @Option(name: .shortAndLong, help: "The folder to write the files to.")
    var output: String?

    func run() async throws {
        do {
            let folder = output ?? (challenge as NSString).lastPathComponent
            try makeFolder(folder)
            let files: [DownloadedFile]
            if let api = try RemoteMode.client(global) {
                files = try await fetch(api, into: folder)
            } else {
                files = try await copy(into: folder)
            }
            if global.json {
                print(PodiumJSON.encode(DownloadBody(challenge: challenge, folder: folder, files: files)))
            } else {
                for f in files { print("\(folder)/\(f.name): \(f.bytes) bytes, sha256 \(f.sha256) (checked)") }
            }
        } catch {
            throw rejection(error, json: global.json, home: RemoteMode.place(global))
        }
    }

    /// Each public file from the server, hashed as it arrives, kept only when the hash matches.
    func fetch(_ api: APIClient, into folder: String) async throws(JudgeError) -> [DownloadedFile] {
        let info: RemoteChallenge = try await api.get(RemoteMode.challengePath(challenge))
        var out: [DownloadedFile] = []
        for file in info.files ?? [] {
            let bar = TransferBar("\(file.name)")
            let target = folder + "/" + (file.name as NSString).lastPathComponent
            let partial = target + ".part"
            let sink = try FileSink(path: partial)
            let hash = SHA256()
            let bytes: Int64
            do {
                var received: Int64 = 0
                bytes = try await api.download(
                    RemoteMode.challengePath(challenge) + "/files/" + APIClient.segment(file.name)
                ) { chunk throws(JudgeError) in
                    hash.update(chunk)
                    try sink.write(chunk)
                    received += Int64(chunk.count)
                    bar.update(received, file.bytes)
                }
                bar.finish()
                try sink.close()
            } catch {
                bar.finish()
                sink.discard()
                throw error
            }
            let digest = hash.finalize()
            guard digest == file.sha256, bytes == file.bytes else {
                sink.discard()
                throw JudgeError(
                    code: .hashMismatch,
                    message: "\(file.name) arrived with sha256 \(digest) (\(bytes) bytes), not the announced "
                        + "\(file.sha256) (\(file.bytes) bytes); nothing was kept — try again")
            }
            try sink.rename(to: target)
            out.append(DownloadedFile(name: file.name, bytes: bytes, sha256: digest))
        }
        return out
    }

    /// Each public file of the home's current version, copied and hashed.
    func copy(into folder: String) async throws(JudgeError) -> [DownloadedFile] {
        let services = try Root.services(global)
        let published = try services.open(challenge)
        let info = try await UseCases(services).info(challenge, participant: nil)
        var out: [DownloadedFile] = []
        for file in info.files {
            let target = folder + "/" + file.name
            do {
                if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                try FileManager.default.copyItem(
                    atPath: published.folder(published.version.number) + "/" + file.name, toPath: target)
            } catch {
                throw JudgeError(
                    code: .unwritableOutput, message: "cannot write \(target): \(error.localizedDescription)")
            }
            out.append(DownloadedFile(name: file.name, bytes: Int64(file.bytes), sha256: file.sha256))
        }
        return out
    }

    func makeFolder(_ folder: String) throws(JudgeError) {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw JudgeError(code: .unwritableOutput, message: "cannot create \(folder): \(error.localizedDescription)")
        }
    }
}

/// `podium download --json`.
struct DownloadBody: Encodable {
    var challenge: String
    var folder: String
    var files: [DownloadedFile]
}

struct DownloadedFile: Encodable {
    var name: String
    var bytes: Int64
    var sha256: String
}

/// A new file written in chunks, then fsynced and renamed into place (or removed).
final class FileSink {
    let path: String
    var fd: Int32

    init(path: String) throws(JudgeError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw Self.failure("cannot create \(path)") }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    func write(_ bytes: UnsafeRawBufferPointer) throws(JudgeError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Self.failure("cannot write \(path)") }
            offset += n
        }
    }

    func close() throws(JudgeError) {
        let ok = fsync(fd) == 0
        Glibc.close(fd)
        fd = -1
        if !ok { throw Self.failure("cannot write \(path)") }
    }

    func rename(to target: String) throws(JudgeError) {
        guard Glibc.rename(path, target) == 0 else { throw Self.failure("cannot write \(target)") }
    }

    func discard() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        unlink(path)
    }

    static func failure(_ what: String) -> JudgeError {
        JudgeError(code: .unwritableOutput, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
