#if canImport(Glibc)
import Glibc
#endif

/// What a numeric cell holds.
public enum ParsedNumber: Equatable, Sendable {
    case value(Double)
    /// Empty or NA-like (`NA`, `N/A`, `null`, `None`, …).
    case empty
    /// `nan`, `inf`, or beyond float64 (`1e999`).
    case nonFinite
    case nonNumeric
}

/// Parses DESIGN §3 numbers from bytes: optional sign, digits, optional `.`, optional
/// exponent, surrounding spaces or tabs tolerated. Results are correctly rounded: Clinger's
/// exact fast path when it applies, `strtod` otherwise.
public enum NumberParser {
    static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { r, _ in r * 10 } }

    public static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> ParsedNumber {
        var lo = 0, hi = raw.count
        while lo < hi && (raw[lo] == 32 || raw[lo] == 9) { lo += 1 }
        while hi > lo && (raw[hi - 1] == 32 || raw[hi - 1] == 9) { hi -= 1 }
        if lo == hi { return .empty }
        var i = lo
        var negative = false
        if raw[i] == UInt8(ascii: "+") || raw[i] == UInt8(ascii: "-") {
            negative = raw[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0, significant = 0, fractionDigits = 0
        var exact = true
        while i < hi, raw[i] &- 48 < 10 {
            accumulate(raw[i], &mantissa, &significant, &exact)
            digits += 1
            i += 1
        }
        if i < hi && raw[i] == UInt8(ascii: ".") {
            i += 1
            while i < hi, raw[i] &- 48 < 10 {
                accumulate(raw[i], &mantissa, &significant, &exact)
                digits += 1
                fractionDigits += 1
                i += 1
            }
        }
        guard digits > 0 else { return classifyWord(raw, lo, hi) }
        var exponent = 0
        if i < hi && (raw[i] == UInt8(ascii: "e") || raw[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < hi && (raw[i] == UInt8(ascii: "+") || raw[i] == UInt8(ascii: "-")) {
                expNegative = raw[i] == UInt8(ascii: "-")
                i += 1
            }
            let expStart = i
            while i < hi, raw[i] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(raw[i] &- 48) }
                i += 1
            }
            guard i > expStart else { return .nonNumeric }
            if expNegative { exponent = -exponent }
        }
        guard i == hi else { return .nonNumeric }
        let scale = exponent - fractionDigits
        if exact && mantissa <= (1 << 53) && scale >= -22 && scale <= 22 {
            var v = Double(mantissa)
            v = scale >= 0 ? v * powersOfTen[scale] : v / powersOfTen[-scale]
            return .value(negative ? -v : v)
        }
        return slowPath(raw, lo, hi)
    }

    @inline(__always)
    static func accumulate(_ c: UInt8, _ mantissa: inout UInt64, _ significant: inout Int, _ exact: inout Bool) {
        if mantissa == 0 && c == 48 { return }  // leading zeros carry no digits
        if significant >= 19 {
            exact = false
            return
        }
        mantissa = mantissa &* 10 &+ UInt64(c &- 48)
        significant += 1
    }

    static func slowPath(_ raw: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> ParsedNumber {
        let n = hi - lo
        var text = [CChar](repeating: 0, count: n + 1)
        for k in 0..<n { text[k] = CChar(bitPattern: raw[lo + k]) }
        let v = text.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
        return v.isFinite ? .value(v) : .nonFinite
    }

    static let naWords: Set<String> = ["na", "n/a", "#n/a", "null", "none", "nil", "-"]
    static let nonFiniteWords: Set<String> = ["nan", "inf", "infinity", "-nan", "+nan", "-inf", "+inf", "-infinity", "+infinity"]

    static func classifyWord(_ raw: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> ParsedNumber {
        guard hi - lo <= 12 else { return .nonNumeric }
        let word = String(decoding: UnsafeBufferPointer(rebasing: raw[lo..<hi]), as: UTF8.self).lowercased()
        if naWords.contains(word) { return .empty }
        if nonFiniteWords.contains(word) { return .nonFinite }
        return .nonNumeric
    }
}
