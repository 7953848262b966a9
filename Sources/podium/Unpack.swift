import ArgumentParser
import Foundation
import PodiumDomain
import PodiumTables

struct Unpack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Unpack an archive safely (as bundles are unpacked) into an empty folder.",
        discussion:
            "Only regular files and directories; links, devices, '..', absolute paths, bad names, duplicates and "
            + "oversized archives are refused." + "\n\nExample:\n  podium unpack bundle.tar.gz /tmp/bundle"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The archive (.tar, .tar.gz, .tar.xz, .tar.zst, .zip).")
    var archive: String

    @Argument(help: "An empty folder to unpack into (created if missing).")
    var folder: String

    func run() throws {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            let result = try SafeExtractor.extract(archive, into: folder)
            if global.json {
                print(PodiumJSON.encode(UnpackBody(files: result.files, bytes: result.bytes)))
            } else {
                print("unpacked \(result.files.count) files, \(result.bytes) bytes into \(folder)")
            }
        } catch {
            throw rejection(JudgeError(error), json: global.json)
        }
    }
}

/// `podium unpack --json`: the files unpacked and their total size.
struct UnpackBody: Encodable {
    var files: [String]
    var bytes: Int
}
