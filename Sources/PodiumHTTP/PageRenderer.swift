import HTTPTypes
import Hummingbird
import Mustache

/// The pages' Mustache templates, parsed once, and a page as a response: its template rendered
/// with its model (a struct of stored properties: Mustache reads them by reflection). Every
/// `{{value}}` is HTML-escaped by Mustache; the one unescaped value, a leaderboard's markup,
/// is built by PodiumRendering, which escapes every text in it (`PageFragment`).
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// The templates of `Templates.all`; a template that does not parse is a programming error
    /// (the pages' tests render every one).
    static let shared = PageRenderer()

    init() {
        var library = MustacheLibrary()
        for (name, text) in Templates.all {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("the page template '\(name)' does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// `name` rendered with `model`: an HTML response that no cache keeps (pages carry CSRF
    /// tokens and what only their reader may see).
    func page(_ name: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(model, withTemplate: name) ?? "no page template '\(name)'"
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Markup built by PodiumRendering (a leaderboard's table and charts), which escapes every
/// name and text it contains; the only value a template writes unescaped (`{{{…}}}`).
struct PageFragment: Sendable, CustomStringConvertible {
    let description: String
}
