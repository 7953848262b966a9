import Foundation

/// Podium's instants: ISO 8601 UTC text in and out.
public enum Instants {
    /// Parses an ISO 8601 instant (`2026-12-15T23:59:59Z`, with optional fraction or offset, or a
    /// bare date meaning midnight UTC).
    public static func parseInstant(_ text: String) -> Date? {
        if let seconds = InstantParser.seconds(text) { return Date(timeIntervalSince1970: seconds) }
        let full = ISO8601DateFormatter()
        if let d = full.date(from: text) { return d }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = full.date(from: text) { return d }
        full.formatOptions = [.withFullDate]
        return full.date(from: text)
    }

    /// ISO 8601 UTC with milliseconds.
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// The UTC day of a date, `YYYY-MM-DD`.
    public static func utcDay(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.string(from: date)
    }

    /// Parses Podium's own timestamps (`2026-11-25T14:02:43.237Z`) without a formatter, for loops
    /// over many submissions; anything else goes through `parseInstant`.
    public static func storedInstant(_ text: String) -> Date? {
        let u = Array(text.utf8)
        guard u.count == 24, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u[19] == 46, u[23] == 90
        else {
            return parseInstant(text)
        }
        func n(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b {
                let d = Int(u[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let y = n(0, 4), let m = n(5, 7), let d = n(8, 10), let hh = n(11, 13), let mm = n(14, 16),
            let ss = n(17, 19),
            let ms = n(20, 23)
        else { return parseInstant(text) }
        // Days from the civil date (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Date(timeIntervalSince1970: Double(days * 86400 + hh * 3600 + mm * 60 + ss) + Double(ms) / 1000)
    }
}
