import Foundation
import PodiumDomain
import PodiumSystem

#if canImport(Glibc)
import Glibc
#endif

/// A folder written whole or not at all (a backup, a restored home): it is written under
/// `TARGET.partial-PID-RANDOM` beside its target and renamed into place at the end, so that an
/// interrupted run never leaves something that looks complete. The target must not exist or
/// be an empty folder: nothing is ever overwritten.
public enum BackupFolder {
    /// Writes the folder `target` whole: `body` fills the staging folder it is given, which is
    /// then fsynced and renamed to `target`, or removed when anything fails.
    public static func build<T>(_ target: String, _ body: (String) throws(JudgeError) -> T) throws(JudgeError) -> T {
        let staging = try stage(target)
        do throws(JudgeError) {
            let result = try body(staging)
            BackupFiles.syncFolders(staging)
            try commit(staging, to: target)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// Refuses a target that exists and is not an empty folder (`already_exists`); makes and
    /// returns the staging folder beside it.
    static func stage(_ target: String) throws(JudgeError) -> String {
        try requireEmpty(target)
        let staging = "\(trimmed(target)).partial-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        try makeDirectory(staging)
        return staging
    }

    /// Renames the staging folder to the target (replacing it when it is an empty folder) and
    /// fsyncs their parent.
    static func commit(_ staging: String, to target: String) throws(JudgeError) {
        guard rename(staging, trimmed(target)) == 0 else {
            if errno == ENOTEMPTY || errno == EEXIST || errno == ENOTDIR {
                throw JudgeError(
                    code: .alreadyExists, message: "\(target) appeared while it was written; left as it is")
            }
            throw JudgeError.writing("cannot rename \(staging) to \(target)")
        }
        let parent = (trimmed(target) as NSString).deletingLastPathComponent
        syncDirectory(parent.isEmpty ? "." : parent)
    }

    /// `already_exists` unless `path` is missing or an empty folder.
    public static func requireEmpty(_ path: String) throws(JudgeError) {
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else { return }
        guard folder.boolValue else {
            throw JudgeError(code: .alreadyExists, message: "\(path) exists and is a file; give a new or empty folder")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard names.isEmpty else {
            throw JudgeError(
                code: .alreadyExists,
                message: "\(path) is not empty (\(names.count) entries); give a new or empty folder, nothing is "
                    + "ever overwritten")
        }
    }

    static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
