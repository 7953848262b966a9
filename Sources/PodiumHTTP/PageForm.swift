import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` form body (the pages' small forms), at most 64 KB.
struct PageForm: Sendable {
    var fields: [String: String] = [:]

    subscript(_ name: String) -> String? { fields[name] }

    /// The trimmed value of a field, `nil` when absent or empty.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    init(fields: [String: String]) { self.fields = fields }

    static func read(_ request: Request) async throws -> PageForm {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return PageForm(encoded: String(buffer: buffer))
    }

    /// Parses `a=1&b=two+words`; the first of a repeated name wins.
    init(encoded: String) {
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let plus = s.replacingOccurrences(of: "+", with: " ")
                return plus.removingPercentEncoding ?? plus
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
    }
}
