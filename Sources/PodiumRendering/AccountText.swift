import PodiumApp

/// `podium users list` for people.
public enum AccountText {
    public static func table(_ accounts: [Account]) -> String {
        accounts.map { a in
            var line = "\(a.name)  \(a.role.rawValue)  \(Escaping.oneLine(a.display))"
            if let email = a.email { line += "  \(Escaping.oneLine(email))" }
            if a.disabled { line += "  (disabled)" }
            return line
        }.joined(separator: "\n")
    }
}
