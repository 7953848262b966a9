/// Participant and team names (DESIGN §7): slugs `[a-z0-9][a-z0-9._-]{0,39}`.
///
/// Input is trimmed (Unicode white space and line breaks at either end) and lower-cased (ASCII
/// only: `K`, the Kelvin sign, is not a `k`); anything else — spaces inside, control or zero-width
/// characters, other scripts, more than 40 characters — is refused. Every name that reaches the
/// database passes through here, so `Alice`, `alice ` and `alice` are one participant.
public enum Names {
    /// The canonical form of `raw`, or nil when it is not a valid name.
    ///
    /// ```
    /// Names.canonical(" Alice\n") == "alice"
    /// Names.canonical("al ice") == nil
    /// Names.canonical("\u{200B}") == nil
    /// ```
    public static func canonical(_ raw: String) -> String? {
        let bytes = Array(trimmed(raw).utf8)
        guard !bytes.isEmpty, bytes.count <= 40 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() {
            let c = (b >= 65 && b <= 90) ? b + 32 : b  // ASCII A–Z → a–z
            let alphanumeric = (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
            let punctuation = c == 46 || c == 95 || c == 45  // . _ -
            guard alphanumeric || (i > 0 && punctuation) else { return nil }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `raw` without white space or line breaks at either end.
    public static func trimmed(_ raw: String) -> String {
        var scalars = Substring(raw).unicodeScalars[...]
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Why `raw` is not a name, for `invalid_name` messages (the input quoted with control and
    /// invisible characters escaped).
    public static func refusal(_ raw: String, what: String) -> String {
        "\(what) '\(visible(raw))' is not a valid name: names are 1 to 40 characters of a-z, 0-9, '.', '_' and '-', "
            + "starting with a letter or digit (input is trimmed and lower-cased)"
    }

    /// `text` with every character outside printable ASCII escaped as `\u{…}`, at most 80 of them.
    public static func visible(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars.prefix(80) {
            if s.value >= 0x20 && s.value < 0x7F {
                out.unicodeScalars.append(s)
            } else {
                out += "\\u{\(String(s.value, radix: 16))}"
            }
        }
        return text.unicodeScalars.count > 80 ? out + "…" : out
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.properties.isWhitespace
    }
}
