import Foundation
import FuzzSupport
import PodiumTables

// In memory (tmpfs) when the machine has it: thousands of small files a second.
let work = (access("/dev/shm", W_OK) == 0 ? "/dev/shm/" : NSTemporaryDirectory()) + "podium-fuzz-archive-\(getpid())"
let archive = work + "/input"
let output = work + "/out"
let limits: ExtractionLimits = {
    var l = ExtractionLimits()
    l.archive = ArchiveLimits(maxBytes: 1 << 20, maxEntries: 64)
    return l
}()
let solution = try! Solution.read(
    InputBytes("id,label,Usage\n1,0,Public\n2,1,Private\n3,1,Public\n"), id: "id", target: "label", kind: .number)

/// Archive intake on any bytes: `SafeExtractor.extract` (used by `unpack` and bundles) and the
/// predictions path (`SubmissionFile.open`, from the file and from memory, then the reader).
/// Extraction is a set of regular files and folders inside the folder, or a refusal that
/// leaves the folder empty; the two openings agree; nothing crashes or hangs.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    let fm = FileManager.default
    try? fm.removeItem(atPath: work)
    try! fm.createDirectory(atPath: output, withIntermediateDirectories: true)
    let fd = open(archive, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    check(
        fd >= 0 && input.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == input.count,
        "cannot write the input")
    close(fd)
    defer { try? fm.removeItem(atPath: work) }

    do {
        let extraction = try SafeExtractor.extract(archive, into: output, limits: limits)
        check(extraction.bytes <= limits.archive.maxBytes, "\(extraction.bytes) bytes unpacked")
        for file in extraction.files {
            let attributes = try? fm.attributesOfItem(atPath: output + "/" + file)
            check(
                attributes?[.type] as? FileAttributeType == .typeRegular,
                "'\(file)' is not a regular file in the folder")
        }
        for folder in extraction.directories {
            let attributes = try? fm.attributesOfItem(atPath: output + "/" + folder)
            check(
                attributes?[.type] as? FileAttributeType == .typeDirectory, "'\(folder)' is not a folder in the folder")
        }
        // Nothing but what was listed, and no links.
        let found = Set(fm.enumerator(atPath: output)?.compactMap { $0 as? String } ?? [])
        let listed = Set(extraction.files).union(extraction.directories)
        let parents = Set(
            listed.flatMap { path -> [String] in
                let parts = path.split(separator: "/")
                return (1..<max(parts.count, 1)).map { parts.prefix($0).joined(separator: "/") }
            })
        check(
            found.subtracting(listed).subtracting(parents).isEmpty,
            "unlisted entries \(found.subtracting(listed).subtracting(parents))")
    } catch {
        check(error.code == .badArchive || error.code == .archiveLimits, "extraction refused with \(error)")
        check((try? fm.contentsOfDirectory(atPath: output))?.isEmpty == true, "a refused extraction left files")
    }
    check(
        Set((try? fm.contentsOfDirectory(atPath: work)) ?? []) == ["input", "out"], "files appeared beside the folder")

    let fromFile = Result { () throws(IntakeError) in try SubmissionFile.open(archive, limits: limits.archive) }
    let fromMemory = Result { () throws(IntakeError) in
        try SubmissionFile.open(bytes: InputBytes(input), limits: limits.archive)
    }
    switch (fromFile, fromMemory) {
    case (.success(let a), .success(let b)):
        check(Array(a.bytes) == Array(b.bytes), "the file and memory openings give different CSVs")
        _ = try? AlignedPredictions.read(a, solution: solution, id: "id", spec: .number(column: "prediction"))
    case (.failure(let a), .failure(let b)):
        check(a.code == b.code, "the file opening refused with \(a), the memory one with \(b)")
        check([.badArchive, .archiveLimits, .notASubmission].contains(a.code), "the submission was refused with \(a)")
    case (.failure(let a), .success): fail("the file opening refused with \(a), the memory one accepted")
    case (.success, .failure(let b)): fail("the file opening accepted, the memory one refused with \(b)")
    }
    return 0
}

runFuzzer(test)  // last: the globals above are set by top-level code
