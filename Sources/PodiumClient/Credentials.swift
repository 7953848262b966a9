import Foundation
import PodiumDomain

/// What `podium login` stores: the server, the account's name, its API token.
public struct Credentials: Codable, Sendable, Equatable {
    public var server: String
    public var name: String
    public var token: String

    public init(server: String, name: String, token: String) {
        self.server = server
        self.name = name
        self.token = token
    }
}

/// The server and token the remote verbs use: `$PODIUM_SERVER` and `$PODIUM_TOKEN` over the
/// credentials file.
public struct Remote: Sendable, Equatable {
    public var server: String
    public var token: String?
    /// Where the token came from, for messages ("the credentials file", "PODIUM_TOKEN").
    public var name: String?

    /// The remote settings of `environment`, or nil when no server is configured (local mode).
    public static func configured(environment: [String: String]) throws(JudgeError) -> Remote? {
        let stored = try CredentialsFile(environment: environment).load()
        let server = nonEmpty(environment["PODIUM_SERVER"]) ?? stored?.server
        guard let server else { return nil }
        let token = nonEmpty(environment["PODIUM_TOKEN"]) ?? (stored?.server == server ? stored?.token : nil)
        return Remote(server: try ServerURL.normalized(server), token: token, name: stored?.name)
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }
}

/// A server's base URL: `http://` or `https://`, no trailing slash.
public enum ServerURL {
    public static func normalized(_ text: String) throws(JudgeError) -> String {
        var url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while url.hasSuffix("/") { url.removeLast() }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), URL(string: url)?.host != nil else {
            throw JudgeError(code: .usage, message: "the server must be an http:// or https:// address, not \(text)")
        }
        return url
    }
}

/// `$XDG_CONFIG_HOME/podium/credentials.json` (default `~/.config/podium/credentials.json`):
/// a folder of mode 0700 and a file of mode 0600, written whole (a new file, renamed into place).
public struct CredentialsFile: Sendable {
    public var folder: String
    public var path: String { folder + "/credentials.json" }

    public init(environment: [String: String]) {
        let config =
            Remote.nonEmpty(environment["XDG_CONFIG_HOME"])
            ?? (Remote.nonEmpty(environment["HOME"]) ?? NSHomeDirectory()) + "/.config"
        folder = config + "/podium"
    }

    /// The stored credentials, or nil when there is no file.
    public func load() throws(JudgeError) -> Credentials? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw JudgeError(code: .homeUnavailable, message: "cannot read \(path)")
            }
            return nil
        }
        do {
            return try JSONDecoder().decode(Credentials.self, from: data)
        } catch {
            throw JudgeError(
                code: .homeUnavailable, message: "\(path) is not a credentials file (run podium login again)")
        }
    }

    /// Writes `credentials`: the folder made 0700, a new 0600 file (`O_EXCL`, `O_NOFOLLOW`) on a
    /// temporary name, fsynced, renamed over the old one.
    public func save(_ credentials: Credentials) throws(JudgeError) {
        try makePrivateFolder()
        let temporary = folder + "/.credentials-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot create \(temporary)") }
        var ok = fchmod(fd, 0o600) == 0
        let data = Array(PodiumJSON.encode(credentials).utf8) + [0x0A]
        ok =
            ok
            && data.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return false }
                    offset += n
                }
                return true
            }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let error = failure("cannot write \(path)")
            unlink(temporary)
            throw error
        }
    }

    /// Removes the file; false when there was none.
    @discardableResult
    public func remove() throws(JudgeError) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw failure("cannot remove \(path)")
    }

    /// The folder (and a missing parent) made with mode 0700; an existing one narrowed to 0700.
    func makePrivateFolder() throws(JudgeError) {
        let parent = (folder as NSString).deletingLastPathComponent
        if mkdir(parent, 0o700) != 0 && errno != EEXIST {
            do {
                try FileManager.default.createDirectory(
                    atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw JudgeError(code: .homeUnavailable, message: "cannot create \(parent): \(error)")
            }
        }
        if mkdir(folder, 0o700) != 0 && errno != EEXIST { throw failure("cannot create \(folder)") }
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw JudgeError(code: .homeUnavailable, message: "\(folder) is not a folder")
        }
        if info.st_mode & 0o777 != 0o700 && chmod(folder, 0o700) != 0 { throw failure("cannot protect \(folder)") }
    }

    func failure(_ what: String) -> JudgeError {
        JudgeError(code: .homeUnavailable, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
