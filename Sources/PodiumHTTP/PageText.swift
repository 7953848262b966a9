import Foundation
import PodiumDomain

/// How the pages write times, ages and scores.
enum PageText {
    /// A stored instant (`2026-11-20T10:00:00.000Z`) as `2026-11-20 10:00 UTC`.
    static func when(_ stored: String?) -> String {
        guard let stored else { return "—" }
        let u = Array(stored)
        guard u.count >= 16, u[10] == "T" else { return stored }
        return String(u[0..<10]) + " " + String(u[11..<16]) + " UTC"
    }

    /// How long ago a stored instant was: `45 s`, `12 min`, `3 h 5 min`, `2 d`.
    static func age(_ stored: String, now: Date = Date()) -> String {
        guard let then = Instants.storedInstant(stored) else { return "—" }
        let seconds = max(0, Int(now.timeIntervalSince(then)))
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        if seconds < 86_400 { return "\(seconds / 3600) h \(seconds % 3600 / 60) min" }
        return "\(seconds / 86_400) d"
    }

    /// A score as the command line writes it (six decimals); `—` for none.
    static func score(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value.isFinite ? String(format: "%.6f", value) : "\(value)"
    }
}
