import PodiumApp
import PodiumDomain

/// Text made safe for the place it is shown: a CSV cell a spreadsheet opens, a Markdown table
/// cell, one line of a plain-text table. Names pass DESIGN §7's rule today, but a database
/// written before it, messages and file names are free text.
enum Escaping {
    /// A CSV text cell: quoted when needed, and neutralised against formula injection (OWASP):
    /// a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
    /// which spreadsheets show as text. Numbers are written by `csvNumber`, never through here.
    static func csvText(_ s: String) -> String {
        let risky: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]
        let cell = s.first.map { risky.contains($0) } == true ? "'" + s : s
        return cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    /// A Markdown table cell on one line: HTML and Markdown syntax (`<`, `&`, `|`, backticks,
    /// emphasis, links) escaped.
    static func markdown(_ s: String) -> String {
        var out = ""
        for c in oneLine(s) {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "|", "`", "\\", "*", "_", "[", "]", "#", "~": out += "\\\(c)"
            default: out.append(c)
            }
        }
        return out
    }

    /// One line of `s` (PodiumDomain's `OneLine`).
    static func oneLine(_ s: String) -> String { OneLine.of(s) }
}
