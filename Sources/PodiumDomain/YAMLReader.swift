import Yams

/// Typed reads from a YAML mapping that refuse unknown keys and wrong types with the key's
/// name and line.
struct YAMLMapping {
    let path: String
    let pairs: [(key: String, value: Node, line: Int)]
    let line: Int

    init(_ node: Node, path: String) throws(JudgeError) {
        guard case .mapping(let mapping) = node else {
            throw .invalidChallenge("'\(path)' must be a mapping of keys to values", line: node.mark?.line, key: path)
        }
        self.path = path
        line = node.mark?.line ?? 1
        var pairs: [(String, Node, Int)] = []
        for (k, v) in mapping {
            guard let name = k.string else {
                throw .invalidChallenge("keys must be text", line: k.mark?.line, key: path)
            }
            if pairs.contains(where: { $0.0 == name }) {
                throw .invalidChallenge(
                    "the key '\(name)' appears twice", line: k.mark?.line, key: path.isEmpty ? name : "\(path).\(name)")
            }
            pairs.append((name, v, k.mark?.line ?? line))
        }
        self.pairs = pairs
    }

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses keys outside `allowed`.
    func only(_ allowed: [String]) throws(JudgeError) {
        for pair in pairs where !allowed.contains(pair.key) {
            throw .invalidChallenge(
                "unknown key '\(pair.key)'; \(path.isEmpty ? "the top level" : "'\(path)'") takes "
                    + "\(allowed.joined(separator: ", "))",
                line: pair.line, key: qualified(pair.key))
        }
    }

    func node(_ key: String) -> (Node, Int)? {
        pairs.first { $0.key == key }.map { ($0.value, $0.line) }
    }

    func string(_ key: String) throws(JudgeError) -> String? {
        guard let (node, line) = node(key) else { return nil }
        guard case .scalar(let s) = node, !s.string.isEmpty else {
            throw .invalidChallenge("'\(qualified(key))' must be text", line: line, key: qualified(key))
        }
        return s.string
    }

    func number(_ key: String) throws(JudgeError) -> Double? {
        guard let (node, line) = node(key) else { return nil }
        guard case .scalar = node, let v = node.float ?? node.int.map(Double.init), v.isFinite else {
            throw .invalidChallenge("'\(qualified(key))' must be a number", line: line, key: qualified(key))
        }
        return v
    }

    /// A number above zero (a time limit).
    func positive(_ key: String) throws(JudgeError) -> Double? {
        guard let v = try number(key) else { return nil }
        guard v > 0 else {
            throw .invalidChallenge(
                "'\(qualified(key))' must be a number above 0", line: node(key)?.1, key: qualified(key))
        }
        return v
    }

    func integer(_ key: String, min: Int = 0) throws(JudgeError) -> Int? {
        guard let (node, line) = node(key) else { return nil }
        guard case .scalar = node, let v = node.int, v >= min else {
            throw .invalidChallenge(
                "'\(qualified(key))' must be a whole number of at least \(min)", line: line, key: qualified(key))
        }
        return v
    }

    func strings(_ key: String) throws(JudgeError) -> [String]? {
        guard let (node, line) = node(key) else { return nil }
        guard case .sequence(let seq) = node else {
            throw .invalidChallenge("'\(qualified(key))' must be a list, like [a, b]", line: line, key: qualified(key))
        }
        var out: [String] = []
        for item in seq {
            guard case .scalar(let s) = item, !s.string.isEmpty else {
                throw .invalidChallenge(
                    "'\(qualified(key))' must list text values", line: item.mark?.line ?? line, key: qualified(key))
            }
            out.append(s.string)
        }
        return out
    }

    func mapping(_ key: String) throws(JudgeError) -> YAMLMapping? {
        guard let (node, _) = node(key) else { return nil }
        return try YAMLMapping(node, path: qualified(key))
    }

    func line(of key: String) -> Int? { node(key)?.1 }
}
