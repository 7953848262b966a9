import FuzzSupport
import PodiumTables

#if canImport(Glibc)
import Glibc
#endif

/// `NumberParser.parse` against an independent reading of DESIGN §3's grammar and glibc's
/// `strtod`: a number in the grammar parses to exactly `strtod`'s double (`non_finite` when
/// that overflows); anything else is `empty` (blank or an NA word), `non_finite` (a NaN or
/// infinity word) or `non_numeric`.
runFuzzer(test)

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)
    let got = input.withUnsafeBufferPointer { NumberParser.parse($0) }
    let expected = reference(input)
    let text = String(decoding: input.prefix(80), as: UTF8.self).debugDescription
    switch (got, expected) {
    case (.value(let a), .value(let b)):
        check(a.bitPattern == b.bitPattern, "\(text): parsed \(a), strtod gives \(b)")
    default:
        check(got == expected, "\(text): parsed \(got), expected \(expected)")
    }
    return 0
}

func reference(_ input: [UInt8]) -> ParsedNumber {
    var lo = 0
    var hi = input.count
    while lo < hi && (input[lo] == 32 || input[lo] == 9) { lo += 1 }
    while hi > lo && (input[hi - 1] == 32 || input[hi - 1] == 9) { hi -= 1 }
    if lo == hi { return .empty }
    let body = Array(input[lo..<hi])
    guard grammar(body) else {
        let word = String(decoding: body, as: UTF8.self).lowercased()
        if ["na", "n/a", "#n/a", "null", "none", "nil", "-"].contains(word) { return .empty }
        if ["nan", "inf", "infinity"].contains(
            word.hasPrefix("-") || word.hasPrefix("+") ? String(word.dropFirst()) : word)
        {
            return .nonFinite
        }
        return .nonNumeric
    }
    var text = body.map { CChar(bitPattern: $0) }
    text.append(0)
    var end: UnsafeMutablePointer<CChar>? = nil
    let value = text.withUnsafeMutableBufferPointer { p in
        let v = strtod(p.baseAddress!, &end)
        check(end! - p.baseAddress! == body.count, "strtod did not read all of a number in the grammar")
        return v
    }
    return value.isFinite ? .value(value) : .nonFinite
}

/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
func grammar(_ s: [UInt8]) -> Bool {
    var i = 0
    func digits() -> Int {
        let start = i
        while i < s.count && s[i] >= 48 && s[i] <= 57 { i += 1 }
        return i - start
    }
    if i < s.count && (s[i] == 43 || s[i] == 45) { i += 1 }
    var mantissa = digits()
    if i < s.count && s[i] == 46 {
        i += 1
        mantissa += digits()
    }
    guard mantissa > 0 else { return false }
    if i < s.count && (s[i] == 101 || s[i] == 69) {
        i += 1
        if i < s.count && (s[i] == 43 || s[i] == 45) { i += 1 }
        guard digits() > 0 else { return false }
    }
    return i == s.count
}
