import Foundation
import PodiumTables
import Testing

/// Hostile archives (written by Fixtures/make_hostile.py) against SafeExtractor: each gets its
/// verdict, the extraction folder is left empty on refusal, and nothing appears outside it.
@Suite("Safe unpacking of hostile archives", .serialized)
struct SafeExtractorTests {
    static let token = UUID().uuidString
    static let folder: String = {
        let dir = NSTemporaryDirectory() + "podium-hostile-" + UUID().uuidString
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/make_hostile.py"
        ).path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [script, dir, token]
        try! p.run()
        p.waitUntilExit()
        precondition(p.terminationStatus == 0, "make_hostile.py failed")
        return dir
    }()

    static func fresh() -> String {
        let dir = folder + "/out-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Places an escape would write to.
    static var escapes: [String] {
        ["/tmp/escape-\(token).txt", folder + "/escape-\(token).txt", NSTemporaryDirectory() + "escape-\(token).txt"]
    }

    @Test(arguments: [
        ("traversal.tar", "bad_archive"), ("traversal-nested.tar", "bad_archive"), ("absolute.tar", "bad_archive"),
        ("symlink.tar", "bad_archive"), ("symlink-chain.tar", "bad_archive"), ("hardlink.tar", "bad_archive"),
        ("device.tar", "bad_archive"), ("fifo.tar", "bad_archive"), ("duplicate.tar", "bad_archive"),
        ("duplicate.zip", "bad_archive"), ("control.tar", "bad_archive"), ("bad-utf8.tar", "bad_archive"),
        ("truncated.tar.gz", "bad_archive"), ("garbage.tar", "bad_archive"), ("deep.tar", "archive_limits"),
        ("many.tar.gz", "archive_limits"), ("bomb.zip", "archive_limits"),
    ])
    func refused(_ name: String, _ code: String) throws {
        let out = Self.fresh()
        var limits = ExtractionLimits()
        limits.archive.maxBytes = 100 << 20  // the bomb expands to 300 MB
        do {
            _ = try SafeExtractor.extract(Self.folder + "/" + name, into: out, limits: limits)
            Issue.record("\(name) was unpacked")
        } catch {
            #expect(error.code.rawValue == code, "\(name): \(error)")
            #expect(!error.message.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty, "\(name) left files behind")
        for path in Self.escapes {
            #expect(!FileManager.default.fileExists(atPath: path), "\(name) escaped to \(path)")
        }
    }

    /// One entry rule for every path: an archive `extract` refuses is refused with the same code
    /// when it is read as a predictions file (its entries are judged before any CSV is looked for).
    @Test(arguments: [
        ("traversal.tar", "bad_archive"), ("traversal-nested.tar", "bad_archive"), ("absolute.tar", "bad_archive"),
        ("symlink.tar", "bad_archive"), ("symlink-chain.tar", "bad_archive"), ("hardlink.tar", "bad_archive"),
        ("device.tar", "bad_archive"), ("fifo.tar", "bad_archive"), ("duplicate.tar", "bad_archive"),
        ("duplicate.zip", "bad_archive"), ("control.tar", "bad_archive"), ("bad-utf8.tar", "bad_archive"),
        ("truncated.tar.gz", "bad_archive"), ("deep.tar", "archive_limits"), ("many.tar.gz", "archive_limits"),
        ("bomb.zip", "archive_limits"),
    ])
    func predictionsPathAppliesTheSameRule(_ name: String, _ code: String) throws {
        var limits = ArchiveLimits()
        limits.maxBytes = 100 << 20
        do {
            _ = try SubmissionFile.open(Self.folder + "/" + name, limits: limits)
            Issue.record("\(name) was read as predictions")
        } catch {
            #expect(error.code.rawValue == code, "\(name): \(error)")
        }
    }

    @Test func refusalsNameTheEntry() throws {
        for (archive, entry) in [
            ("traversal.tar", "../escape-"), ("absolute.tar", "/tmp/escape-"), ("hardlink.tar", "link.txt"),
            ("device.tar", "null"),
        ] {
            do {
                _ = try SafeExtractor.extract(Self.folder + "/" + archive, into: Self.fresh())
                Issue.record("accepted")
            } catch {
                #expect(error.message.contains(entry), "\(error)")
            }
        }
    }

    @Test func honestBundleUnpacksExactly() throws {
        let out = Self.fresh()
        let result = try SafeExtractor.extract(Self.folder + "/honest.tar.gz", into: out)
        #expect(result.files == ["bundle.yaml", "predict.py", "model/weights.bin"])
        #expect(result.bytes == 24 + 12 + 2560)
        #expect(try String(contentsOfFile: out + "/bundle.yaml", encoding: .utf8) == "run: python3 predict.py\n")
        let mode = try FileManager.default.attributesOfItem(atPath: out + "/predict.py")[.posixPermissions] as? Int
        #expect(mode == 0o755)
    }

    /// A zip whose central directory lists a second entry over the first one's data: libarchive
    /// reads local headers in order, so the second name never appears (or, with a reader that
    /// follows the central directory, the shared data is refused).
    @Test func overlappingZipEntriesNeverExpandTwice() throws {
        let out = Self.fresh()
        do {
            let result = try SafeExtractor.extract(Self.folder + "/overlap.zip", into: out)
            #expect(result.files == ["a.txt"])
            #expect(result.bytes == 100_000)
        } catch {
            #expect(error.code.rawValue == "archive_limits")
        }
    }

    @Test func setuidBitsAreStripped() throws {
        let out = Self.fresh()
        _ = try SafeExtractor.extract(Self.folder + "/setuid.tar", into: out)
        let mode = try #require(
            try FileManager.default.attributesOfItem(atPath: out + "/tool")[.posixPermissions] as? Int)
        #expect(mode & 0o7000 == 0)
        #expect(mode & 0o111 != 0)
    }
}
