import Foundation
import Testing

@testable import PodiumDomain

/// The hand-written ISO 8601 reader against Foundation's, and the near-duplicate rounding.
@Suite("Instants and rounding")
struct InstantParserTests {
    @Test(arguments: [
        "2013-02-24T21:26:00Z", "2013-02-24", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z",
        "2024-12-31T12:00:00+05:30",
        "1999-07-04T01:02:03-0800", "2013-02-24T21:26:00.250Z", "1969-12-31T23:59:59Z", "2100-03-01T00:00:00Z",
    ])
    func agreesWithFoundation(_ text: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions =
            text.count == 10
            ? [.withFullDate]
            : text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        let expected = try #require(formatter.date(from: text)).timeIntervalSince1970
        let got = try #require(InstantParser.seconds(text))
        #expect(abs(got - expected) < 1e-3, "\(text): \(got) vs \(expected)")
    }

    @Test func zonelessTimesAreUTC() throws {
        // pandas writes `2013-02-24 21:26:00`: the same instant as with a Z.
        #expect(InstantParser.seconds("2013-02-24 21:26:00") == InstantParser.seconds("2013-02-24T21:26:00Z"))
        #expect(InstantParser.seconds("2013-02-24T21:26:00.5") == InstantParser.seconds("2013-02-24T21:26:00Z")! + 0.5)
    }

    @Test(arguments: [
        "2013-02-30", "2013-13-01", "2013-02-24T25:00:00Z", "2013-02-24T21:26", "13-02-24", "2013-02-24Tx", "yesterday",
    ])
    func refusesWhatItCannotRead(_ text: String) {
        #expect(InstantParser.seconds(text) == nil)
    }

    @Test func roundsToSixSignificantDigits() {
        // Against printf's %.6g, the definition in the issue.
        for v in [0.1234564, 123456.7, 1e-9 + 0.5, 98765432.1, -0.000123456789, 42.0, 3.14159265, 1e300 * 1.2345678] {
            #expect(RowKeys.round6(v) == Double(String(format: "%.6g", v))!, "\(v)")
        }
        #expect(RowKeys.round6(0.5) == RowKeys.round6(0.5 + 1e-9))
    }
}
