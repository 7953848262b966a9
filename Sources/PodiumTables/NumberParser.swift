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
        var lo = 0
        var hi = raw.count
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
        var digits = 0
        var significant = 0
        var fractionDigits = 0
        var exact = true
        while i < hi, raw[i] &- 48 < 10 {
            accumulate(raw[i], &mantissa, &significant, &exact)
            digits += 1
            i += 1
        }
        if i < hi && raw[i] == UInt8(ascii: ".") {
            i += 1
            // Eight fraction digits at once while the mantissa has room for them (leading
            // zeros are then counted as digits: that only sends rare inputs to strtod).
            while i + 8 <= hi && significant <= 11, let eight = eightDigits(raw, i) {
                mantissa = mantissa &* 100_000_000 &+ eight
                significant += 8
                digits += 8
                fractionDigits += 8
                i += 8
            }
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
                // Beyond 100,000 the exponent is not kept: only strtod may round such a number.
                if exponent < 100_000 { exponent = exponent * 10 + Int(raw[i] &- 48) } else { exact = false }
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
        #if arch(x86_64)
        if exact && scale >= -27 && scale <= 27, let v = extendedPath(mantissa, scale) {
            return .value(negative ? -v : v)
        }
        #endif
        return slowPath(raw, lo, hi)
    }

    #if arch(x86_64)
    static let extendedPowersOfTen: [Float80] = (0...27).map { e in (0..<e).reduce(Float80(1)) { r, _ in r * 10 } }
    static let extendedReciprocals: [Float80] = extendedPowersOfTen.map { 1 / $0 }

    /// Up to 19 digits times 10^±27 in 64-bit-significand arithmetic. A product by an exact
    /// power of ten is correctly rounded to 64 bits (within ½ unit); a product by a rounded
    /// reciprocal is within 1½ units. Rounding such a result to 53 bits is therefore correct
    /// unless it lies within two units of a halfway point; then `nil` (use `strtod`).
    @inline(__always)
    static func extendedPath(_ mantissa: UInt64, _ scale: Int) -> Double? {
        let m = Float80(mantissa)
        let r = scale >= 0 ? m * extendedPowersOfTen[scale] : m * extendedReciprocals[-scale]
        let low = r.significandBitPattern & 0x7FF
        if low >= 0x3FE && low <= 0x402 { return nil }
        return Double(r)
    }
    #endif

    /// The value of eight ASCII digits at `i`, or `nil` if any byte is not a digit (SWAR).
    @inline(__always)
    static func eightDigits(_ raw: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64? {
        let v = UnsafeRawPointer(raw.baseAddress! + i).loadUnaligned(as: UInt64.self)
        // simdjson's is_made_of_eight_digits_fast and parse_eight_digits_unrolled.
        let high = v & 0xF0F0_F0F0_F0F0_F0F0
        let carried = ((v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4
        guard high | carried == 0x3333_3333_3333_3333 else { return nil }
        var x: UInt64 = v &- 0x3030_3030_3030_3030
        x = (x &* 10) &+ (x >> 8)
        let pairsLow: UInt64 = x & 0x0000_00FF_0000_00FF
        let pairsHigh: UInt64 = (x >> 16) & 0x0000_00FF_0000_00FF
        let lowFactor: UInt64 = 100 + (1_000_000 << 32)
        let highFactor: UInt64 = 1 + (10_000 << 32)
        x = (pairsLow &* lowFactor &+ pairsHigh &* highFactor) >> 32
        return x
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
    static let nonFiniteWords: Set<String> = [
        "nan", "inf", "infinity", "-nan", "+nan", "-inf", "+inf", "-infinity", "+infinity",
    ]

    static func classifyWord(_ raw: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> ParsedNumber {
        guard hi - lo <= 12 else { return .nonNumeric }
        let word = String(decoding: UnsafeBufferPointer(rebasing: raw[lo..<hi]), as: UTF8.self).lowercased()
        if naWords.contains(word) { return .empty }
        if nonFiniteWords.contains(word) { return .nonFinite }
        return .nonNumeric
    }
}
