import Foundation

/// The one JSON configuration of Podium's outside: what the command line prints, what is stored
/// with a score row, and what a server returns, all through `JSONEncoder`.
///
/// Keys are sorted (`JSONEncoder` keeps no insertion order), slashes are not escaped, and every
/// number goes through `encodeNumber`: JSON has no NaN or infinity, so a non-finite value is `null`.
public enum PodiumJSON {
    /// A fresh encoder with the shared configuration.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The JSON text of `value`, on one line.
    ///
    /// The values of the outside cannot fail to encode (the encoder refuses only non-finite
    /// numbers, and those are written as `null`); should one ever fail, the text is the internal
    /// error that says so, never a half-written object.
    public static func encode(_ value: some Encodable) -> String {
        let encoder = encoder()
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            var bug = JudgeError(code: .internalFailure, message: "could not write JSON: \(error)")
            bug.isInternal = true
            return (try? encoder.encode(ErrorBody(bug))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }
}

/// A key known only at run time: a split, a metric's name, a piece of evidence.
public struct JSONKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(_ name: String) { stringValue = name }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}

extension KeyedEncodingContainer {
    /// A number, or `null` when it is missing or not finite.
    public mutating func encodeNumber(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite {
            try encode(value, forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }

    /// An object of numbers by name (each `null` when missing or not finite).
    public mutating func encodeNumbers(_ values: [String: Double?], forKey key: Key) throws {
        var inner = nestedContainer(keyedBy: JSONKey.self, forKey: key)
        for (name, value) in values { try inner.encodeNumber(value, forKey: JSONKey(name)) }
    }

    /// A value, or `null` when it is missing (synthesized encoding would leave the key out).
    public mutating func encodeOrNull(_ value: (some Encodable)?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
