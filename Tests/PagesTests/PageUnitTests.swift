import Foundation
import Testing

@testable import PodiumHTTP

/// The pages' pure parts: the README subset, the multipart parser, the redirect after login.
struct PageUnitTests {
    @Test func readmeSubsetIsEscapedByTheTemplate() {
        let text = """
            # Title <b>
            Some `code` and <script>alert(1)</script>
            on two lines.

            - one
            - two `x`
            1. three

            ```
            <raw> & code
            ```
            """
        let blocks = ReadmeBlock.parse(text)
        #expect(blocks.count == 4)
        #expect(blocks[0].heading == "Title <b>")
        #expect(blocks[1].isParagraph && blocks[1].spans.map(\.isCode) == [false, true, false])
        #expect(blocks[2].isList && blocks[2].items.count == 3)
        #expect(blocks[3].preformatted == "<raw> & code")
        let model = ChallengePages.OverviewModel(
            frame: PageFrame(title: "t"), challenge: ChallengeHeader(id: "a", title: "A"), limits: "", kinds: "",
            resets: "", version: 1, hasFiles: false, files: [], readme: blocks)
        let html = PageRenderer.shared.library.render(model, withTemplate: "challenge") ?? ""
        #expect(html.contains("<h3>Title &lt;b&gt;</h3>"))
        #expect(html.contains("<code>code</code>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(
            html.contains("<li>two <code>x</code></li>")
                && html.contains("<pre><code>&lt;raw&gt; &amp; code</code></pre>"))
        #expect(!html.contains("<script>") && !html.contains("<b>"))
    }

    @Test func everyTemplateParses() {
        for name in Templates.all.keys {
            #expect(PageRenderer.shared.library.getTemplate(named: name) != nil, "\(name)")
        }
    }

    /// The parser gets the body in every possible pair of chunks: the same fields and bytes.
    @Test func multipartSplitAnywhere() throws {
        let folder = NSTemporaryDirectory() + "podium-multipart-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = "id,prediction\r\n1,0.5\r\n--not-a-boundary\r\n2,0.25"
        let body =
            "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\\\"b/c%22.csv\"\r\n"
            + "Content-Type: text/csv\r\n\r\n\(file)\r\n--XyZ\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n"
            + "hi\r\n--XyZ--\r\nepilogue"
        let bytes = Array(body.utf8)
        for split in stride(from: 0, through: bytes.count, by: 1) {
            var parser = PageMultipart.Parser(boundary: "XyZ", fileField: "file", folder: folder, limit: 1000)
            try bytes[0..<split].withUnsafeBytes { try parser.feed($0) }
            try bytes[split...].withUnsafeBytes { try parser.feed($0) }
            try parser.finish()
            let result = parser.result
            #expect(result.fields == ["csrf": "abc", "message": "hi"], "split at \(split)")
            let path = try #require(result.file)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == file, "split at \(split)")
            #expect(result.fileName == "c\".csv")
            unlink(path)
        }
        #expect(PageMultipart.boundary("multipart/form-data; boundary=\"abc\"") == "abc")
        #expect(PageMultipart.boundary("text/plain") == nil)
    }

    @Test func returnPathsStayOnTheSite() {
        #expect(PageReturn.safe("/c/arena") == "/c/arena")
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "", "c/x", "/a b"] {
            #expect(PageReturn.safe(bad) == "/", "\(bad)")
        }
    }
}
