/// A challenge's README.md as blocks a template writes (so every text is escaped by Mustache,
/// never inserted as markup): a tiny Markdown subset — `#` headings, paragraphs, `-`/`*`/`1.`
/// lists, fenced code blocks and inline `code`. Everything else (links, emphasis, HTML) shows
/// as the text it is.
struct ReadmeBlock: Sendable {
    var heading: String?
    var isParagraph = false
    var isList = false
    var spans: [ReadmeSpan] = []
    var items: [ReadmeItem] = []
    var preformatted: String?

    static func parse(_ text: String) -> [ReadmeBlock] {
        var blocks: [ReadmeBlock] = []
        var paragraph: [String] = []
        var items: [String] = []
        var fence: [String]?
        func flush() {
            if !paragraph.isEmpty {
                blocks.append(ReadmeBlock(isParagraph: true, spans: ReadmeSpan.parse(paragraph.joined(separator: " "))))
                paragraph = []
            }
            if !items.isEmpty {
                blocks.append(ReadmeBlock(isList: true, items: items.map { ReadmeItem(spans: ReadmeSpan.parse($0)) }))
                items = []
            }
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var lines = fence {
                if trimmed.hasPrefix("```") {
                    blocks.append(ReadmeBlock(preformatted: lines.joined(separator: "\n")))
                    fence = nil
                } else {
                    lines.append(line)
                    fence = lines
                }
                continue
            }
            if trimmed.hasPrefix("```") {
                flush()
                fence = []
            } else if trimmed.isEmpty {
                flush()
            } else if trimmed.hasPrefix("#") {
                flush()
                let title = trimmed.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                blocks.append(ReadmeBlock(heading: title.isEmpty ? trimmed : title))
            } else if let item = listItem(trimmed) {
                if !paragraph.isEmpty { flush() }
                items.append(item)
            } else if !items.isEmpty && line.hasPrefix(" ") {
                items[items.count - 1] += " " + trimmed  // a list item's continuation line
            } else {
                if !items.isEmpty { flush() }
                paragraph.append(trimmed)
            }
        }
        if let lines = fence { blocks.append(ReadmeBlock(preformatted: lines.joined(separator: "\n"))) }
        flush()
        return blocks
    }

    /// `- text`, `* text`, `1. text` → `text`.
    static func listItem(_ line: String) -> String? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") {
            return String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 3, line.dropFirst(digits.count).hasPrefix(". ") {
            return String(line.dropFirst(digits.count + 2)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

struct ReadmeItem: Sendable {
    var spans: [ReadmeSpan]
}

/// A run of text, or of inline code between backticks.
struct ReadmeSpan: Sendable {
    var text: String
    var isCode: Bool

    static func parse(_ text: String) -> [ReadmeSpan] {
        var spans: [ReadmeSpan] = []
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        // An odd count of parts means the backticks pair up; an unpaired one stays text.
        guard parts.count % 2 == 1 else { return [ReadmeSpan(text: text, isCode: false)] }
        for (k, part) in parts.enumerated() where !part.isEmpty {
            spans.append(ReadmeSpan(text: String(part), isCode: k % 2 == 1))
        }
        return spans
    }
}
