import Foundation
import PodiumDomain
import PodiumSystem

#if canImport(Glibc)
import Glibc
#endif

/// The files of a backup folder: copied in and out streaming (never whole in memory), hashed
/// as they pass, fsynced, their mode kept; listed; and checked against the manifest.
public enum BackupFiles {
    /// Copies the regular file `source` into the new file `target` (its folders made first),
    /// keeping its permission bits; returns the entry of what was written.
    public static func copy(_ source: String, to target: String, as path: String) throws(JudgeError)
        -> BackupManifest.Entry
    {
        let (input, mode) = try openRegular(source, followLinks: false)
        defer { close(input) }
        try makeDirectory((target as NSString).deletingLastPathComponent)
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard output >= 0 else { throw JudgeError.writing("cannot create \(target)") }
        let copied = copyHashing(input, source, to: output, target)
        close(output)
        switch copied {
        case .success(let result): return BackupManifest.Entry(path: path, bytes: result.bytes, sha256: result.sha256)
        case .failure(let failure): throw failure
        }
    }

    /// The SHA-256 and size of a file written by another program (SQLite, `pg_dump`), fsynced.
    public static func entry(_ file: String, as path: String) throws(JudgeError) -> BackupManifest.Entry {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            if fd >= 0 { close(fd) }
            throw JudgeError.writing("cannot fsync \(file)")
        }
        close(fd)
        let sha256 = try FileStore(root: "/").hash(file)
        var st = stat()
        guard stat(file, &st) == 0 else { throw JudgeError.store("missing_file", "cannot read \(file)") }
        return BackupManifest.Entry(path: path, bytes: Int(st.st_size), sha256: sha256)
    }

    /// Every file under `folder` that is not a folder (links, FIFOs and sockets included, never
    /// followed), as paths relative to it, sorted.
    public static func list(_ folder: String) -> [String] {
        var out: [String] = []
        func walk(_ relative: String) {
            let path = relative.isEmpty ? folder : "\(folder)/\(relative)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                let child = relative.isEmpty ? name : "\(relative)/\(name)"
                var st = stat()
                guard lstat("\(folder)/\(child)", &st) == 0 else { continue }
                if st.st_mode & S_IFMT == S_IFDIR { walk(child) } else { out.append(child) }
            }
        }
        walk("")
        return out.sorted()
    }

    /// fsyncs `folder` and every folder under it (the files were fsynced as they were written).
    public static func syncFolders(_ folder: String) {
        var folders: Set<String> = [folder]
        for file in list(folder) {
            var parent = (file as NSString).deletingLastPathComponent
            while !parent.isEmpty {
                folders.insert("\(folder)/\(parent)")
                parent = (parent as NSString).deletingLastPathComponent
            }
        }
        for path in folders.sorted(by: >) { syncDirectory(path) }
    }

    /// Checks the backup `folder` against its manifest, reading every byte: no file the
    /// manifest does not list, and each listed one a regular file of its size and SHA-256.
    /// The first difference is `backup_corrupt`, naming the file.
    public static func verify(_ folder: String, _ manifest: BackupManifest) throws(JudgeError) {
        let listed = Set(manifest.files.map(\.path) + [BackupManifest.fileName])
        if let extra = list(folder).first(where: { !listed.contains($0) }) {
            throw BackupManifest.corrupt(
                "\(folder)/\(extra) is in the backup but not in its manifest (added or renamed after the backup)")
        }
        for entry in manifest.files {
            let path = "\(folder)/\(entry.path)"
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
                throw BackupManifest.corrupt("\(path) is missing (the manifest lists it)")
            }
            guard Int(st.st_size) == entry.bytes else {
                throw BackupManifest.corrupt("\(path) has \(st.st_size) bytes; the manifest says \(entry.bytes)")
            }
        }
        for entry in manifest.files {
            let path = "\(folder)/\(entry.path)"
            let sha256: String
            do { sha256 = try FileStore(root: "/").hash(path) } catch {
                throw BackupManifest.corrupt("\(path) cannot be read: \(error.message)")
            }
            guard sha256 == entry.sha256 else {
                throw BackupManifest.corrupt("\(path) does not hash to the manifest's SHA-256 (its bytes changed)")
            }
        }
    }
}
