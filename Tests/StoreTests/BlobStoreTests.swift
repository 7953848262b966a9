import Foundation
import PodiumApp
import PodiumDomain
import PodiumFiles
import PodiumPostgres
import PodiumTestSupport
import Testing

/// Machines of one course: each its own home folder as the cache and its own pool, all on one
/// fresh PostgreSQL database; removed (folders) and closed (pools) by `close`.
final class Course {
    let store: PostgresStore
    let root: String
    private var pools: [Pool] = []

    init() throws {
        store = try TestPostgres.store()
        root = NSTemporaryDirectory() + "podium-blobs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// A machine with an empty cache: `home` is its home folder.
    func machine(_ name: String) -> (blobs: PostgresBlobs, home: HomeFolder) {
        let home = HomeFolder(root: "\(root)/\(name)")
        let pool = Pool(store.pool.url, maximum: 2)
        pools.append(pool)
        return (PostgresBlobs(pool: pool, cache: home), home)
    }

    /// Writes `count` pseudo-random bytes into a file beside the machines; returns its path.
    func file(_ name: String, bytes count: Int) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = "\(root)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The blob row's size and chunk count, and how many chunk rows it has and the largest.
    func stored(_ sha256: String) throws -> (size: Int, chunks: Int, rows: Int, largest: Int)? {
        try store.pool.withConnection { (c: Connection) throws(JudgeError) -> (Int, Int, Int, Int)? in
            let rows = try c.rows(
                """
                SELECT b.size, b.chunks, (SELECT COUNT(*) FROM blob_chunk k WHERE k.sha256 = b.sha256),
                  (SELECT COALESCE(MAX(octet_length(k.data)), 0) FROM blob_chunk k WHERE k.sha256 = b.sha256)::bigint
                FROM blob b WHERE b.sha256 = \(sha256)
                """)
            return try rows.first?.values((Int, Int, Int, Int).self)
        }
    }

    func execute(_ sql: String) throws {
        try store.pool.withConnection { (c: Connection) throws(JudgeError) -> Void in
            try c.execute("\(unescaped: sql)")
        }
    }

    func close() {
        for pool in pools { pool.close() }
        store.pool.close()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// The regular files under a folder (relative paths), dot files included.
func files(under folder: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: folder)
    var found: [String] = []
    while let path = enumerator?.nextObject() as? String {
        var directory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "\(folder)/\(path)", isDirectory: &directory), !directory.boolValue {
            found.append(path)
        }
    }
    return found.sorted()
}

func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

@Suite struct BlobStoreTests {
    static let mib = 1 << 20

    @Test func aFileStoredOnOneMachineIsReadOnAnother() throws {
        let course = try Course()
        defer { course.close() }
        let a = course.machine("a")
        let b = course.machine("b")
        let c = course.machine("c")
        let source = try course.file("upload.bin", bytes: 5 * Self.mib + 123)

        let sha256 = try a.blobs.store(file: source, challenge: "iris")
        #expect(sha256 == (try a.home.hash(file: source)))
        let row = try #require(try course.stored(sha256))
        #expect(row.size == 5 * Self.mib + 123)
        #expect(row.chunks == 6 && row.rows == 6 && row.largest == Self.mib)
        // Stored again (the same machine or another): nothing more is written.
        #expect(try b.blobs.store(file: source, challenge: "iris") == sha256)
        #expect(try course.stored(sha256)?.rows == 6)

        // Machine C's cache is empty: verify downloads, and the path then holds the same bytes.
        #expect(c.home.verify(sha256, challenge: "iris") == nil)
        #expect(c.blobs.verify(sha256, challenge: "iris") == true)
        #expect(c.home.verify(sha256, challenge: "iris") == true)
        #expect(c.blobs.path(of: sha256, challenge: "iris") == c.home.path(of: sha256, challenge: "iris"))
        #expect(contents(c.blobs.path(of: sha256, challenge: "iris")) == contents(source))

        // A machine asking only for the path (what an evaluation reads first) gets it too.
        let d = course.machine("d")
        let path = d.blobs.path(of: sha256, challenge: "other")
        #expect(path == d.home.path(of: sha256, challenge: "other"))
        #expect(contents(path) == contents(source))
        // Nothing but the stored file is left in the cache (no download's temporary file).
        #expect(files(under: "\(course.root)/d") == ["other/files/\(sha256.prefix(2))/\(sha256)"])

        // Bytes in memory, and an empty file (no chunk at all).
        let small = Array("id,label\n1,0\n".utf8)
        let smallSHA = try small.withUnsafeBytes { bytes throws(JudgeError) in
            try a.blobs.store(bytes, challenge: "iris")
        }
        let empty = try [UInt8]().withUnsafeBytes { bytes throws(JudgeError) in
            try a.blobs.store(bytes, challenge: "iris")
        }
        #expect(try course.stored(empty).map { [$0.size, $0.chunks, $0.rows] } == [0, 0, 0])
        #expect(contents(c.blobs.path(of: smallSHA, challenge: "iris")) == Data(small))
        #expect(c.blobs.verify(empty, challenge: "iris") == true)
        #expect(contents(c.blobs.path(of: empty, challenge: "iris")) == Data())

        // What no machine stored is missing, and its path does not exist.
        let unknown = String(repeating: "ab", count: 32)
        #expect(c.blobs.verify(unknown, challenge: "iris") == nil)
        #expect(!FileManager.default.fileExists(atPath: c.blobs.path(of: unknown, challenge: "iris")))
    }

    @Test func aTamperedChunkNeverEntersACache() throws {
        let course = try Course()
        defer { course.close() }
        let a = course.machine("a")
        let b = course.machine("b")
        let sha256 = try a.blobs.store(file: try course.file("upload.bin", bytes: 3 * Self.mib), challenge: "iris")
        let small = try a.blobs.store(file: try course.file("small.bin", bytes: 1000), challenge: "iris")

        // One byte of the second chunk changed, the size kept.
        try course.execute(
            """
            UPDATE blob_chunk SET data = set_byte(data, 100, (get_byte(data, 100) + 1) % 256)
            WHERE sha256 = '\(sha256)' AND seq = 1
            """)
        #expect(b.blobs.verify(sha256, challenge: "iris") == false)
        #expect(b.home.verify(sha256, challenge: "iris") == nil)
        #expect(!FileManager.default.fileExists(atPath: b.blobs.path(of: sha256, challenge: "iris")))
        // Machine A's good copy still verifies from its cache.
        #expect(a.blobs.verify(sha256, challenge: "iris") == true)

        // A chunk missing, or a chunk longer than the row says: refused too.
        try course.execute("DELETE FROM blob_chunk WHERE sha256 = '\(sha256)' AND seq = 2")
        #expect(b.blobs.verify(sha256, challenge: "iris") == false)
        try course.execute("UPDATE blob_chunk SET data = data || '\\x00'::bytea WHERE sha256 = '\(small)'")
        #expect(b.blobs.verify(small, challenge: "iris") == false)

        // Nothing entered B's cache, not even under the tampered bytes' own hash.
        #expect(files(under: "\(course.root)/b").isEmpty)
    }

    @Test func twoMachinesStoringTheSameFileAtOnceBothSucceed() throws {
        let course = try Course()
        defer { course.close() }
        let machines = [course.machine("a"), course.machine("b"), course.machine("c"), course.machine("d")]
        let source = try course.file("upload.bin", bytes: 4 * Self.mib + 1)
        let expected = try machines[0].home.hash(file: source)

        let results = Collected<String>()
        let stores = machines.map(\.blobs)
        Fixture.atOnce(stores.count) { i in
            do throws(JudgeError) {
                results.append(try stores[i].store(file: source, challenge: "iris"))
            } catch {
                results.append("\(error)")
            }
        }
        #expect(results.all == Array(repeating: expected, count: machines.count))
        let row = try #require(try course.stored(expected))
        #expect(row.size == 4 * Self.mib + 1 && row.chunks == 5 && row.rows == 5)

        let reader = course.machine("reader")
        #expect(reader.blobs.verify(expected, challenge: "iris") == true)
        #expect(contents(reader.home.path(of: expected, challenge: "iris")) == contents(source))
    }

    @Test func aVersionSnapshotTakenOnOneMachineIsReadOnAnother() throws {
        let course = try Course()
        defer { course.close() }
        let a = course.machine("a")
        let b = course.machine("b")
        let published = "\(course.root)/published"
        try FileManager.default.createDirectory(atPath: published, withIntermediateDirectories: true)
        let names = ["README.md", "solution.csv", "test.csv", "train.csv"]
        for name in names where name != "train.csv" {
            try Data("\(name): id,label\n1,0\n".utf8).write(to: URL(fileURLWithPath: "\(published)/\(name)"))
        }
        let train = try course.file("published/train.csv", bytes: 2 * Self.mib + 7)

        try a.blobs.snapshot(published, files: names, challenge: "iris", version: 1)
        #expect(a.blobs.versionFolder("iris", 1) == a.home.versionFolder("iris", 1))
        // Before the version is recorded, B has no snapshot to fetch (and says where it would be).
        let folder = b.blobs.versionFolder("iris", 1)
        #expect(folder == b.home.versionFolder("iris", 1))
        #expect(!FileManager.default.fileExists(atPath: folder))

        // What the records adapter's addVersion does: the version row, then its files.
        try course.store.pool.transaction { (c: Connection) throws(JudgeError) in
            try c.execute("INSERT INTO challenge (id, created_at) VALUES ('iris', '2026-03-01T10:00:00.000Z')")
            try c.execute(
                """
                INSERT INTO version (challenge, number, content_hash, published_at, folder)
                VALUES ('iris', 1, 'content', '2026-03-01T10:00:00.000Z', 'versions/1')
                """)
            try a.blobs.recordSnapshot(c, challenge: "iris", version: 1, folder: a.home.versionFolder("iris", 1))
        }
        let recorded = try course.store.pool.withConnection { (c: Connection) throws(JudgeError) -> [String] in
            var lines: [String] = []
            for row in try c.rows("SELECT name, sha256 FROM version_file WHERE challenge = 'iris' ORDER BY name") {
                let (name, sha256) = try row.values((String, String).self)
                lines.append("\(name) \(sha256)")
            }
            return lines
        }
        #expect(recorded == (try names.map { "\($0) \(try a.home.hash(file: "\(published)/\($0)"))" }))

        #expect(b.blobs.versionFolder("iris", 1) == folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == names)
        for name in names { #expect(contents("\(folder)/\(name)") == contents("\(published)/\(name)"), "\(name)") }
        #expect(contents("\(folder)/train.csv") == contents(train))
        // No staging folder is left beside the snapshot.
        let beside = try FileManager.default.contentsOfDirectory(atPath: (folder as NSString).deletingLastPathComponent)
        #expect(beside.filter { $0 != ".fetch-1.lock" } == ["1"])
    }
}
