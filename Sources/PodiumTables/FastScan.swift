#if canImport(Glibc)
import Glibc
#endif

/// The optimistic fast path for large files: records are lines, fields are split at commas,
/// and the file is cut into per-core parts at line ends. A `"` anywhere makes it give up.
///
/// It never reports an error itself: at the first thing it does not expect it gives up
/// (returns `nil`), and the general reader runs instead and finds the exact error.
enum FastScan {
    /// Cuts `from ..< bytes.count` into `parts` ranges that start at line starts.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, parts: Int) -> [Range<Int>] {
        let base = bytes.baseAddress!
        var cuts = [from]
        for k in 1..<parts {
            var p = from + (bytes.count - from) * k / parts
            if p <= cuts.last! { continue }
            // Within 64 MB: a longer line (a bomb's) is not worth a cut, and is not read here.
            guard let nl = memchr(base + p, 10, min(bytes.count - p, 1 << 26)) else { break }
            p = UnsafePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base + 1
            if p > cuts.last! && p < bytes.count { cuts.append(p) }
        }
        cuts.append(bytes.count)
        return (0..<cuts.count - 1).map { cuts[$0]..<cuts[$0 + 1] }
    }

    /// Calls `body` with the fields `columns` (positions in the header) of every non-empty
    /// line in `range`; false as soon as a line has not `width` fields, holds a lone CR, or
    /// `body` refuses it. Delimiters are found eight bytes at a time (SWAR).
    @inline(__always)
    static func forEachLine(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, width: Int, columns: [Int], releasing: Bool = false,
        _ body: (UnsafeMutablePointer<Int>) -> Bool
    ) -> Bool {
        let base = bytes.baseAddress!
        var released = range.lowerBound
        let wanted = UnsafeMutablePointer<Int>.allocate(capacity: width + 1)
        defer { wanted.deallocate() }
        for i in 0...width { wanted[i] = -1 }
        for (k, c) in columns.enumerated() { wanted[c] = k }
        let found = UnsafeMutablePointer<Int>.allocate(capacity: columns.count * 2)
        defer { found.deallocate() }
        var field = 0
        var fieldStart = range.lowerBound
        let end = range.upperBound

        // Handles the delimiter at `pos`; false to give up.
        @inline(__always)
        func delimiter(_ pos: Int) -> Bool {
            let c = base[pos]
            if c == UInt8(ascii: ",") {
                let k = wanted[min(field, width)]
                if k >= 0 {
                    found[2 * k] = fieldStart
                    found[2 * k + 1] = pos
                }
                field &+= 1
                fieldStart = pos &+ 1
                return true
            }
            if c == 13 {
                return pos + 1 < end && base[pos + 1] == 10  // CRLF: the LF ends the line
            }
            if c == UInt8(ascii: "\"") { return false }  // quoting: the general reader's job
            // A line end.
            let lineEnd = pos > fieldStart && base[pos - 1] == 13 ? pos - 1 : pos
            defer {
                field = 0
                fieldStart = pos &+ 1
            }
            if field == 0 && lineEnd == fieldStart { return true }  // an empty line
            if releasing && pos - released >= 1 << 24 {
                release(bytes, released..<pos)
                released = pos
            }
            return finishLine(lineEnd)
        }

        @inline(__always)
        func finishLine(_ lineEnd: Int) -> Bool {
            if field &+ 1 != width { return false }
            let k = wanted[field]
            if k >= 0 {
                found[2 * k] = fieldStart
                found[2 * k + 1] = lineEnd
            }
            return body(found)
        }

        var p = range.lowerBound
        let raw = UnsafeRawPointer(base)
        while p + 8 <= end {
            // Also within a line: one line may be gigabytes long.
            if releasing && p &- released >= 1 << 24 {
                release(bytes, released..<p)
                released = p
            }
            let word = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
            var mask =
                zeroBytes(word ^ 0x2C2C_2C2C_2C2C_2C2C) | zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A)
                | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D) | zeroBytes(word ^ 0x2222_2222_2222_2222)
            while mask != 0 {
                let pos = p &+ (mask.trailingZeroBitCount >> 3)
                mask &= mask &- 1
                if !delimiter(pos) { return false }
            }
            p &+= 8
        }
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: ",") || c == 10 || c == 13 || c == UInt8(ascii: "\"") {
                if !delimiter(p) { return false }
            }
            p &+= 1
        }
        // A last line without its newline.
        if field > 0 || fieldStart < end {
            let lineEnd = end > fieldStart && base[end - 1] == 13 ? end - 1 : end
            if field == 0 && lineEnd == fieldStart { return true }
            return finishLine(lineEnd)
        }
        return true
    }

    /// Drops the whole pages of a mapped file's range from memory: the file is only read once,
    /// so its pages need not stay resident (they stay in the page cache).
    static func release(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let address = Int(bitPattern: bytes.baseAddress!) + range.lowerBound
        let start = (address + page - 1) / page * page
        let end = (Int(bitPattern: bytes.baseAddress!) + range.upperBound) / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED)
    }

    /// 0x80 in every byte of `x` that is zero, and nothing else.
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let t = (x & low7) &+ low7
        return ~(t | x | low7)
    }
}
