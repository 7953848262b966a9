import Foundation
import PodiumApp
import PodiumDomain
import PodiumSystem

#if canImport(Glibc)
import Glibc
#endif

/// Podium's home folder as the blob store: `<home>/<challenge id>/files/` holds submitted
/// files by content, `versions/<n>/` the immutable snapshots of published versions (the
/// challenge's database beside them belongs to `PodiumSQLite`).
public struct HomeFolder: BlobStore {
    public let root: String

    public init(root: String) { self.root = root }

    public func folder(_ challenge: String) -> String { "\(root)/\(challenge)" }
    func files(_ challenge: String) -> FileStore { FileStore(root: "\(folder(challenge))/files") }

    public func store(_ bytes: UnsafeRawBufferPointer, challenge: String) throws(JudgeError) -> String {
        try files(challenge).store(bytes: bytes)
    }

    public func store(file path: String, challenge: String) throws(JudgeError) -> String {
        try files(challenge).store(path).sha256
    }

    public func path(of sha256: String, challenge: String) -> String { files(challenge).path(sha256) }

    public func verify(_ sha256: String, challenge: String) -> Bool? {
        let store = files(challenge)
        guard FileManager.default.fileExists(atPath: store.path(sha256)) else { return nil }
        return store.verify(sha256)
    }

    public func hash(file path: String) throws(JudgeError) -> String { try FileStore(root: "/").hash(path) }

    public func hash(bytes: UnsafeRawBufferPointer) -> String { SHA256.hex(bytes) }

    public func versionFolder(_ challenge: String, _ version: Int) -> String {
        "\(folder(challenge))/versions/\(version)"
    }

    /// Copies the files into a staging folder, fsyncs them, and renames it into place; a
    /// folder no version row claims (left by a publish killed between its rename and its
    /// commit) is moved aside first: under the publish lock nobody else writes it.
    public func snapshot(_ source: String, files: [String], challenge: String, version: Int) throws(JudgeError) {
        let target = versionFolder(challenge, version)
        try reclaim(target)
        let parent = (target as NSString).deletingLastPathComponent
        let staging = "\(parent)/.staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for name in files {
                try FileManager.default.copyItem(atPath: "\(source)/\(name)", toPath: "\(staging)/\(name)")
                let fd = open("\(staging)/\(name)", O_RDONLY)
                if fd >= 0 {
                    fsync(fd)
                    close(fd)
                }
                chmod("\(staging)/\(name)", 0o444)
            }
            syncDirectory(staging)
            guard rename(staging, target) == 0 else {
                throw JudgeError(code: .storeFailed, message: "cannot create \(target): \(errnoText())")
            }
            syncDirectory(parent)
        } catch let error as JudgeError {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            // A read-only or full home is the environment's refusal (exit 1), not a bug.
            let environment: [CocoaError.Code] = [
                .fileWriteNoPermission, .fileWriteVolumeReadOnly, .fileWriteOutOfSpace, .fileNoSuchFile,
            ]
            let refused = (error as? CocoaError).map { environment.contains($0.code) } ?? false
            throw JudgeError(
                code: refused ? .homeUnavailable : .storeFailed,
                message: "cannot snapshot \(source) into \(parent): \((error as NSError).localizedDescription)")
        }
    }

    func reclaim(_ target: String) throws(JudgeError) {
        guard FileManager.default.fileExists(atPath: target) else { return }
        let aside =
            (target as NSString).deletingLastPathComponent + "/.orphan-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard rename(target, aside) == 0 else {
            throw JudgeError(
                code: .storeFailed,
                message: "cannot move aside \(target), left by an interrupted publish: \(errnoText())")
        }
        try? FileManager.default.removeItem(atPath: aside)
    }
}
