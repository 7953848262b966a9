import Foundation
import Hummingbird
import PodiumApp
import PodiumDomain

/// `/admin/audit[?challenge=ID]` (instructors): the audit trail, newest first, the whole
/// course's or one challenge's.
struct AuditPage {
    let server: PodiumServer

    func add(to router: Router<PodiumContext>) {
        router.get("/admin/audit", use: show)
    }

    struct Model {
        var frame: PageFrame
        var scope: String
        var verified: Int
        var events: [EventRow]
    }

    struct EventRow {
        var seq: Int64
        var at: String
        var actor: String
        var via: String
        var action: String
        var place: String
        var detail: String

        init(_ e: AuditBody.Event) {
            seq = e.seq
            at = PageText.when(e.at)
            actor = e.actor
            via = e.via
            action = e.action
            place = [e.challenge, e.subject].compactMap { $0 }.joined(separator: " ")
            detail = e.detail
        }
    }

    @Sendable func show(_ request: Request, context: PodiumContext) async throws -> Response {
        _ = try context.pageInstructor(request)
        var challenge: String? = nil
        if let raw = request.uri.queryParameters["challenge"].map(String.init), !raw.isEmpty {
            guard let id = Names.canonical(raw), id == raw else { throw APIError.notFound("challenge '\(raw)'") }
            challenge = id
        }
        let body = try await AuditRoutes.read(server, context, challenge: challenge, limit: 1000)
        let model = Model(
            frame: PageFrame("Audit trail", context, server), scope: challenge ?? "the whole course",
            verified: body.verified, events: body.events.reversed().map(EventRow.init))
        return PageRenderer.shared.page("audit", model)
    }
}

extension Templates {
    /// `/admin/audit`: the trail, newest first.
    static let audit = """
        {{<layout}}{{$content}}
        <p class="crumbs"><a href="/admin">Admin</a> ›</p>
        <h1>Audit trail: {{scope}}</h1>
        <p class="muted">Every instructor action and every refusal by a limit, newest first (the last 1000). \
        The trail is append-only; its hash chain was checked over all {{verified}} events.</p>
        <div class="table"><table>
        <thead><tr><th>#</th><th>when</th><th>who</th><th>action</th><th>on</th><th>what</th></tr></thead><tbody>
        {{#events}}<tr><td class="num">{{seq}}</td><td class="num">{{at}}</td><td>{{actor}} <span class="muted">({{via}})</span></td>\
        <td>{{action}}</td><td>{{place}}</td><td class="wrap">{{detail}}</td></tr>{{/events}}
        {{^events}}<tr><td colspan="6">Nothing recorded yet.</td></tr>{{/events}}
        </tbody></table></div>
        {{/content}}{{/layout}}
        """
}
