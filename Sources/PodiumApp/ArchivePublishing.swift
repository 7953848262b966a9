import Foundation
import PodiumChecks
import PodiumDomain
import PodiumTables

extension Publisher {
    /// Publishes a challenge folder sent as an archive (`POST /api/v1/challenges`): unpacked by
    /// the safe extractor (no links, no paths outside, capped) into a scratch folder beside
    /// the uploads, then published as a folder; the scratch folder is removed either way. The
    /// folder is the archive's root or its one top-level folder.
    public static func publish(
        archive: String, scratch: String, services: Services, force: Bool, allow: [CheckName: String]
    )
        throws(JudgeError) -> Outcome
    {
        let folder = "\(scratch)/publish-\(UInt64.random(in: 0...UInt64.max))"
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw JudgeError(code: .homeUnavailable, message: "cannot create a scratch folder: \(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do { _ = try SafeExtractor.extract(archive, into: folder) } catch { throw JudgeError(error) }
        var root = folder
        if !FileManager.default.fileExists(atPath: root + "/challenge.yaml") {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            guard entries.count == 1, FileManager.default.fileExists(atPath: "\(folder)/\(entries[0])/challenge.yaml")
            else {
                throw JudgeError(
                    code: .invalidChallenge,
                    message: "the archive holds no challenge.yaml at its root or in its one top-level folder")
            }
            root = "\(folder)/\(entries[0])"
        }
        return try publish(root, services: services, force: force, allow: allow)
    }
}
