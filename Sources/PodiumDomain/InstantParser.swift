/// ISO 8601 instants in the shapes datasets use — `2013-02-24`, `2013-02-24T21:26:00Z`,
/// with a space for the `T`, fractional seconds, a `±HH:MM` offset or no zone (UTC) — without a date
/// formatter (one per value costs microseconds of ICU set-up; a time column has millions).
/// Other shapes return nil and go to Foundation's parser.
enum InstantParser {
    static func seconds(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { b -> Double? in
            func digits(_ at: Int, _ count: Int) -> Int? {
                guard at + count <= b.count else { return nil }
                var v = 0
                for k in at..<at + count {
                    let d = Int(b[k]) - 48
                    guard d >= 0 && d <= 9 else { return nil }
                    v = v * 10 + d
                }
                return v
            }
            guard b.count >= 10, let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
                b[7] == UInt8(ascii: "-"), let day = digits(8, 2), (1...12).contains(month), day >= 1,
                day <= daysIn(month, year)
            else { return nil }
            var seconds = Double(daysFromCivil(year, month, day)) * 86400
            if b.count == 10 { return seconds }
            guard b.count >= 19, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), let h = digits(11, 2),
                b[13] == UInt8(ascii: ":"),
                let m = digits(14, 2), b[16] == UInt8(ascii: ":"), let s = digits(17, 2), h < 24, m < 60, s < 61
            else { return nil }
            seconds += Double(h * 3600 + m * 60 + s)
            var k = 19
            if k < b.count && b[k] == UInt8(ascii: ".") {
                k += 1
                var scale = 0.1
                var fraction = 0.0
                let start = k
                while k < b.count, b[k] >= 48, b[k] <= 57 {
                    fraction += Double(b[k] - 48) * scale
                    scale /= 10
                    k += 1
                }
                guard k > start else { return nil }
                seconds += fraction
            }
            if k == b.count { return seconds }  // no zone: read as UTC (pandas writes times so)
            if b[k] == UInt8(ascii: "Z") && k + 1 == b.count { return seconds }
            guard b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-"), let oh = digits(k + 1, 2) else { return nil }
            var om = 0
            if k + 3 == b.count {
            } else if k + 6 == b.count, b[k + 3] == UInt8(ascii: ":"), let v = digits(k + 4, 2) {
                om = v
            } else if k + 5 == b.count, let v = digits(k + 3, 2) {
                om = v
            } else {
                return nil
            }
            let offset = Double(oh * 3600 + om * 60)
            return b[k] == UInt8(ascii: "+") ? seconds - offset : seconds + offset
        }
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
