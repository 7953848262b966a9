import Foundation
import PodiumTables
import Yams

/// A model bundle's `bundle.yaml` (DESIGN §3): the command to run and what it says of its
/// training.
public enum BundleManifests {
    /// `bundle.yaml`.
    public struct Manifest: Sendable {
        public var command: [String]
        public var trainingIds: String?
        public var trainingMaxTime: String?
        /// The runtime it runs on (`sandbox/runtimes/NAME`); `nil`: the challenge's default.
        public var runtime: String? = nil
    }

    /// A runtime's name: a folder name under `sandbox/runtimes/`.
    public static func isRuntimeName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
    }

    /// Unpacks `archive` into `folder`; `nil` when it holds no `bundle.yaml` at its root.
    public static func unpack(_ archive: String, into folder: String) throws(JudgeError) -> Manifest? {
        do {
            _ = try SafeExtractor.extract(archive, into: folder)
        } catch {
            throw JudgeError(error)
        }
        let path = folder + "/bundle.yaml"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw JudgeError(code: .badBundle, message: "bundle.yaml is not UTF-8 text")
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws(JudgeError) -> Manifest {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw JudgeError(code: .badBundle, message: "bundle.yaml is not valid YAML: \(error)")
        }
        guard let node, case .mapping(let map) = node else {
            throw JudgeError(code: .badBundle, message: "bundle.yaml must be a mapping with a `run` key")
        }
        var manifest = Manifest(command: [])
        for (k, v) in map {
            switch k.string {
            case "run":
                guard let text = v.string, let words = splitCommand(text), !words.isEmpty else {
                    throw JudgeError(
                        code: .badBundle, message: "bundle.yaml's `run` must be a command such as `python3 predict.py`",
                        row: k.mark?.line, column: "run")
                }
                manifest.command = words
            case "runtime":
                guard let name = v.string, isRuntimeName(name) else {
                    throw JudgeError(
                        code: .badBundle,
                        message:
                            "bundle.yaml's `runtime` must name a runtime such as `tabular`, `deep` or `embeddings`",
                        row: k.mark?.line, column: "runtime")
                }
                manifest.runtime = name
            case "training":
                guard case .mapping(let t) = v else {
                    throw JudgeError(
                        code: .badBundle, message: "bundle.yaml's `training` must be a mapping", row: k.mark?.line,
                        column: "training")
                }
                for (tk, tv) in t {
                    switch tk.string {
                    case "ids": manifest.trainingIds = tv.string
                    case "max_time": manifest.trainingMaxTime = tv.string
                    default:
                        throw JudgeError(
                            code: .badBundle,
                            message:
                                "unknown key `training.\(tk.string ?? "")` in bundle.yaml; it takes ids and max_time",
                            row: tk.mark?.line, column: "training.\(tk.string ?? "")")
                    }
                }
            default:
                throw JudgeError(
                    code: .badBundle,
                    message: "unknown key `\(k.string ?? "")` in bundle.yaml; it takes run, runtime and training",
                    row: k.mark?.line, column: k.string)
            }
        }
        guard !manifest.command.isEmpty else {
            throw JudgeError(code: .badBundle, message: "bundle.yaml needs a `run` command")
        }
        return manifest
    }

    /// Splits a command like a shell would (quotes and backslashes; no expansion), without a shell.
    static func splitCommand(_ text: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var escaped = false
        for c in text {
            if escaped {
                current.append(c)
                escaped = false
                continue
            }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { current.append(c) }
                continue
            }
            switch c {
            case "\\":
                escaped = true
                inWord = true
            case "\"", "'":
                quote = c
                inWord = true
            case " ", "\t", "\n":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            default:
                current.append(c)
                inWord = true
            }
        }
        if quote != nil || escaped { return nil }
        if inWord { words.append(current) }
        return words
    }
}
