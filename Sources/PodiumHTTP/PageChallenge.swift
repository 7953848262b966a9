import Foundation
import Hummingbird
import PodiumApp
import PodiumDomain
import PodiumRendering

/// `/c/{id}` (the overview) and `/c/{id}/leaderboard`.
struct ChallengePages {
    let server: PodiumServer

    func add(to router: Router<PodiumContext>) {
        router.get("/c/:id", use: overview)
        router.get("/c/:id/leaderboard", use: leaderboard)
    }

    struct OverviewModel {
        var frame: PageFrame
        var challenge: ChallengeHeader
        var tab = ChallengeTab(overview: true)
        var limits: String
        var kinds: String
        var left: String?
        var leftTotal: String?
        var resets: String
        var team: String?
        var version: Int
        var hasFiles: Bool
        var files: [FileRow]
        var readme: [ReadmeBlock]
    }

    struct FileRow {
        var fileName: String
        var size: String
        var shortSha: String
    }

    @Sendable func overview(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.pageAccount(request)
        let id = try challengeId(context)
        let info = try await server.useCases(for: context).info(id, participant: account.name)
        let readme = try await server.useCases(for: context).run { services throws(JudgeError) in
            let opened = try services.open(id)
            return try? String(contentsOfFile: opened.folder(opened.version.number) + "/README.md", encoding: .utf8)
        }
        let s = info.summary
        let limits =
            "\(s.perDay) a day" + (s.total.map { ", \($0) in all" } ?? "")
            + ", \(s.final) final pick\(s.final == 1 ? "" : "s") for the private board"
        let model = OverviewModel(
            frame: PageFrame(s.title, context, server), challenge: ChallengeHeader(s), limits: limits,
            kinds: s.kinds.joined(separator: ", "), left: s.remainingToday.map { "\($0) of \(s.perDay)" },
            leftTotal: s.remainingTotal.map(String.init), resets: s.dayResetsAt.map(PageText.when) ?? "—",
            team: s.team, version: s.version, hasFiles: !info.files.isEmpty,
            files: info.files.map {
                FileRow(fileName: $0.name, size: Self.bytes($0.bytes), shortSha: String($0.sha256.prefix(16)) + "…")
            },
            readme: readme.map(ReadmeBlock.parse) ?? [])
        return PageRenderer.shared.page("challenge", model)
    }

    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1_048_576 { return String(format: "%.1f KB", Double(n) / 1024) }
        return String(format: "%.1f MB", Double(n) / 1_048_576)
    }

    struct BoardModel {
        var frame: PageFrame
        var challenge: ChallengeHeader
        var tab = ChallengeTab(leaderboard: true)
        var publicTitle: String
        var publicBoard: PageFragment
        var privateTitle: String?
        var privateBoard: PageFragment?
        var privateHidden: String?
    }

    /// The public board with its charts; the private board for instructors, or for everyone
    /// after `closes` (with its ties computed, as the API does).
    @Sendable func leaderboard(_ request: Request, context: PodiumContext) async throws -> Response {
        let account = try context.pageAccount(request)
        let id = try challengeId(context)
        let app = server.useCases
        let summary = try await app.info(id, participant: nil).summary
        let reveal = account.role == .instructor
        let (board, history) = try await app.leaderboard(
            id, kind: .public, reveal: reveal, version: nil, withHistory: true, ties: true)
        var model = BoardModel(
            frame: PageFrame("\(summary.title): leaderboard", context, server), challenge: ChallengeHeader(summary),
            publicTitle: board.heading, publicBoard: PageFragment(description: board.htmlFragment(history: history)))
        do throws(JudgeError) {
            var (priv, _) = try await app.leaderboard(
                id, kind: .private, reveal: reveal, version: nil, withHistory: false, ties: true)
            if try await server.computeIntervals(id, board: priv) > 0 {
                (priv, _) = try await app.leaderboard(
                    id, kind: .private, reveal: reveal, version: nil, withHistory: false, ties: true)
            }
            model.privateTitle = priv.heading
            model.privateBoard = PageFragment(description: priv.htmlFragment(history: nil))
        } catch {
            guard error.code == .privateHidden else { throw error }
            model.privateHidden = error.message
        }
        return PageRenderer.shared.page("leaderboard", model)
    }
}
