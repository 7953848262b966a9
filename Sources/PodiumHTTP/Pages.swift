import Hummingbird

/// The web pages (DESIGN §7): server-rendered HTML that works without JavaScript, signed in by
/// the `podium_session` cookie, every form carrying the session's CSRF token. The routes are
/// the pages' files' own; errors and unknown paths become HTML pages (`PageErrors`).
enum Pages {
    static func add(to router: Router<PodiumContext>, server: PodiumServer) {
        // Applies to the routes added after it and to unknown paths (not to the API's routes).
        router.add(middleware: PageErrors(server: server))
        StaticFiles.add(to: router)
        HomePage(server: server).add(to: router)
        SignInPages(server: server).add(to: router)
        AccountPage(server: server).add(to: router)
        ChallengePages(server: server).add(to: router)
        SubmitPages(server: server).add(to: router)
        AdminPages(server: server).add(to: router)
        AuditPage(server: server).add(to: router)
    }
}
