import PodiumApp

/// What the layout around every page shows: the title, who is signed in, the instructor's
/// link, and the CSRF token of the sign-out form.
struct PageFrame: Sendable {
    var title: String
    var signedIn = false
    var name = ""
    var display = ""
    var instructor = false
    var csrf = ""
    /// Loads `/static/status.js` (a page that follows a queued submission or a running job).
    var live = false

    /// A signed-out frame (a page rendered outside a request: the tests).
    init(title: String) { self.title = title }

    init(_ title: String, _ context: PodiumContext, _ server: PodiumServer, live: Bool = false) {
        self.title = title
        self.live = live
        guard let account = context.account else { return }
        signedIn = true
        name = account.name
        display = account.display.isEmpty ? account.name : account.display
        instructor = account.role == .instructor
        csrf = context.token.map { Session.csrf(for: $0, server) } ?? ""
    }
}
