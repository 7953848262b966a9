import Foundation
import PodiumDomain
import PodiumMetrics
import Testing

@Suite("Compressed submissions are read through libarchive, within limits", .serialized)
struct ArchiveTests {
    let yaml = "id: arc\ntask: binary\nmetric: auc\nmetrics: [f1]\n"
    let solution = "id,label,Usage\n1,0,Public\n2,1,Public\n3,1,Private\n4,0,Private\n"
    let csv = "id,prediction\n1,0.1\n2,0.8\n3,0.3\n4,0.4\n"

    static let packers: [(String, String)] = [
        ("gzip", "gzip -c sub.csv > out.csv.gz"),
        ("bzip2", "bzip2 -c sub.csv > out.csv.bz2"),
        ("xz", "xz -c sub.csv > out.csv.xz"),
        ("zstd", "zstd -q -c sub.csv > out.csv.zst"),
        ("zip", "zip -q out.zip sub.csv"),
        ("tar", "tar -cf out.tar sub.csv"),
        ("tar.gz", "tar -czf out.tar.gz sub.csv"),
        ("tar.xz", "tar -cJf out.tar.xz sub.csv"),
        (
            "tar.zst with a README beside the CSV",
            "echo hello > README.txt && tar --zstd -cf out.tar.zst sub.csv README.txt"
        ),
        ("zip in a folder", "mkdir -p preds && cp sub.csv preds/ && zip -qr out.zip preds"),
    ]

    @Test(arguments: packers.map(\.0))
    func sameScoreAsPlain(_ name: String) throws {
        let command = Self.packers.first { $0.0 == name }!.1
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        _ = try c.write("sub.csv", csv)
        let r = try shell("cd '\(c.folder)' && \(command)")
        #expect(r.status == 0, "\(r.stderr)")
        let packed = try FileManager.default.contentsOfDirectory(atPath: c.folder).first { $0.hasPrefix("out") }!
        let plain = try c.scoreFile(c.folder + "/sub.csv").get()
        let report = try c.scoreFile(c.folder + "/" + packed).get()
        #expect(report.scores == plain.scores)
        #expect(report.outcome("auc", .private)?.value == 0)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String, command: String, file: String, code: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(
            name: "two CSVs", command: "cp sub.csv b.csv && zip -q out.zip sub.csv b.csv", file: "out.zip",
            code: "not_a_submission"),
        Bad(
            name: "no CSV", command: "echo hi > notes.txt && tar -czf out.tgz notes.txt", file: "out.tgz",
            code: "not_a_submission"),
        Bad(
            name: "truncated gzip", command: "seq 1 200000 | gzip -c | head -c 20000 > out.gz", file: "out.gz",
            code: "bad_archive"),
        Bad(
            name: "zip magic, garbage body", command: "printf 'PK\\003\\004garbagegarbagegarbage' > out.zip",
            file: "out.zip", code: "bad_archive"),
        Bad(
            name: "truncated zip",
            command: "seq 1 100000 > big.csv && zip -q full.zip big.csv && head -c 30000 full.zip > out.zip",
            file: "out.zip", code: "bad_archive"),
    ]

    @Test(arguments: bad)
    func refused(_ b: Bad) throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        _ = try c.write("sub.csv", csv)
        _ = try shell("cd '\(c.folder)' && \(b.command)")
        guard case .failure(let error) = c.scoreFile(c.folder + "/" + b.file) else {
            Issue.record("accepted \(b.name)")
            return
        }
        #expect(error.code.rawValue == b.code, "\(error)")
    }

    /// A 10 GB gzip bomb (ten 1 GiB members of zeros, about 10 MB on disk) is refused with
    /// `archive_limits` once the cap is passed, without ever holding more than the cap.
    @Test func tenGigabyteBombIsRefusedInBoundedMemory() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        let made = try shell(
            "cd '\(c.folder)' && (printf 'id,prediction\\n'; head -c 1073741824 /dev/zero) | gzip -1 -c > one.gz && "
                + "for i in 1 2 3 4 5 6 7 8 9 10; do cat one.gz; done > bomb.csv.gz && rm one.gz"
        )
        #expect(made.status == 0)
        let cap = 256 << 20
        // Measured as the child's own peak (`runWithin`): `run`'s RUSAGE_CHILDREN counts every
        // earlier child of this test process, and a large sibling test made this fail at random.
        let (r, timedOut) = try runWithin(
            300, ["score", "--challenge", c.folder, c.folder + "/bomb.csv.gz", "--json"],
            environment: ["PODIUM_MAX_UNPACKED_BYTES": String(cap)])
        #expect(!timedOut)
        #expect(r.status == 1)
        let error = try #require(r.json?["error"] as? [String: Any])
        #expect(error["code"] as? String == "archive_limits")
        #expect(r.peakBytes < cap + (200 << 20), "peak \(r.peakBytes)")
    }
}
