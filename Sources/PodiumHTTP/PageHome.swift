import Hummingbird
import PodiumApp

/// `/`: the challenges with their state, deadlines and what is left today; signed out, a welcome.
struct HomePage {
    let server: PodiumServer

    func add(to router: Router<PodiumContext>) {
        router.get("/", use: home)
    }

    struct Model {
        var frame: PageFrame
        var challenges: [ChallengeHeader]
    }

    @Sendable func home(_ request: Request, context: PodiumContext) async throws -> Response {
        var model = Model(frame: PageFrame("Challenges", context, server), challenges: [])
        if let account = context.account {
            model.challenges = try await server.useCases(for: context).challenges(participant: account.name).map(
                ChallengeHeader.init)
        }
        return PageRenderer.shared.page("home", model)
    }
}

/// A challenge as the pages head it: title, state, deadlines, metric and what is left today.
struct ChallengeHeader: Sendable {
    var id: String
    var title: String
    var state: String
    var opens: String
    var closes: String
    var task: String
    var metric: String
    var direction: String
    var remaining: String?

    /// A header with only a name (a page rendered outside a request: the tests).
    init(id: String, title: String) {
        self.id = id
        self.title = title
        state = "open"
        opens = "—"
        closes = "—"
        task = ""
        metric = ""
        direction = ""
    }

    init(_ summary: ChallengeSummary) {
        id = summary.id
        title = summary.title
        state = summary.state.rawValue
        opens = summary.opens.map(PageText.when) ?? "—"
        closes = summary.closes.map(PageText.when) ?? "no closing time"
        task = summary.task
        metric = summary.metric
        direction = summary.higherIsBetter ? "higher is better" : "lower is better"
        remaining = summary.remainingToday.map { left in
            "\(left) of \(summary.perDay)" + (summary.dayResetsAt.map { ", resets at " + PageText.when($0) } ?? "")
        }
    }
}

/// Which tab of a challenge's pages is shown.
struct ChallengeTab: Sendable {
    var overview = false
    var leaderboard = false
    var submit = false
    var submissions = false
}
