/// Text a terminal shows in one line: the command line's tables and the remote command line's
/// lines use the same rule.
public enum OneLine {
    /// The first line of `s` (with `…` when more followed), its control characters escaped as
    /// `\u{…}`: one table cell stays one line.
    public static func of(_ s: String) -> String {
        let lines = s.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        let first = lines.first.map(String.init) ?? ""
        let more = lines.dropFirst().contains { !$0.allSatisfy(\.isWhitespace) }
        var out = ""
        for u in first.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u == "\u{2028}"
                || u == "\u{2029}"
            {
                out += "\\u{\(String(u.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return more ? out + " …" : out
    }
}
