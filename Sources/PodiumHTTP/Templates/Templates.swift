/// The pages' Mustache templates, by name: a layout every page extends (`{{<layout}}`) and one
/// template per page. Kept in the binary as text (no resource bundle). `{{x}}` escapes; the
/// only `{{{x}}}` is a leaderboard's markup, built and escaped by PodiumRendering.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "error": error, "home": home, "login": login, "invite": invite, "account": account,
        "challenge": challenge, "leaderboard": leaderboard, "submit": submit, "submission": submission,
        "submissions": submissions, "admin": admin, "job": job, "check": check,
        "audit": audit,
    ]
}
