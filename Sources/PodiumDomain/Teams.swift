import PodiumTables

/// `teams.csv` (`member,team`), with DESIGN §7's names: cells are trimmed and lower-cased, and a
/// team name is never a member's name.
public struct Teams: Sendable {
    /// Member → team, both canonical.
    var teamOf: [String: String] = [:]
    /// Every team name.
    public internal(set) var names: Set<String> = []

    /// Reads the file. `strict` (publish) refuses a cell that is not a valid name, a member listed
    /// twice once folded, and a team named like a member of another team (`invalid_name`, with
    /// its row and column). A snapshot published before the rule is read leniently: such a cell
    /// is kept as it was, so its members still find their team.
    public static func read(_ bytes: InputBytes, strict: Bool) throws(JudgeError) -> Teams {
        let pairs: [(String, String)]
        do { pairs = try KeyColumn.pairs(bytes, key: "member", value: "team", file: "teams.csv") } catch {
            throw JudgeError(error, file: "teams.csv")
        }
        var teams = Teams()
        var rowOf: [String: Int] = [:]
        for (k, (rawMember, rawTeam)) in pairs.enumerated() {
            let row = k + 2  // the header is row 1
            func name(_ raw: String, _ column: String) throws(JudgeError) -> String {
                if let name = Names.canonical(raw) { return name }
                guard !strict else {
                    throw JudgeError(
                        code: .invalidName, message: Names.refusal(raw, what: "the \(column)"), row: row,
                        column: column, file: "teams.csv")
                }
                return raw
            }
            let member = try name(rawMember, "member")
            let team = try name(rawTeam, "team")
            if strict, let earlier = rowOf[member] {
                throw JudgeError(
                    code: .duplicateId,
                    message:
                        "the teams.csv lists '\(member)' twice (rows \(earlier) and \(row), once folded to lower case)",
                    row: row, column: "member", file: "teams.csv")
            }
            rowOf[member] = row
            teams.teamOf[member] = team
            teams.names.insert(team)
        }
        if strict {
            for (member, team) in teams.teamOf.sorted(by: { rowOf[$0.key, default: 0] < rowOf[$1.key, default: 0] })
            where teams.names.contains(member) && team != member {
                throw JudgeError(
                    code: .invalidName,
                    message:
                        "'\(member)' is both a team and a member of the team '\(team)': a team name never equals a "
                        + "member's name",
                    row: rowOf[member], column: "member", file: "teams.csv")
            }
        }
        return teams
    }

    /// The team of a participant (canonical name): its team, or itself when it is in none.
    /// A team's name is not a participant: `--as red` would be a second board row for team red.
    public func team(of participant: String) throws(JudgeError) -> String {
        if let team = teamOf[participant] { return team }
        guard !names.contains(participant) else {
            throw JudgeError(
                code: .invalidName,
                message:
                    "'\(participant)' is a team in teams.csv, not a participant: submit as one of its members "
                    + "(\(teamOf.filter { $0.value == participant }.keys.sorted().prefix(5).joined(separator: ", ")))"
            )
        }
        return participant
    }
}
