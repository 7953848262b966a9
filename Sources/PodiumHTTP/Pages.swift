import Hummingbird

/// The web pages (DESIGN §7).
enum Pages {
    static func add(to router: Router<PodiumContext>, server: PodiumServer) {}
}
