import Foundation
import PodiumApp
import PodiumDomain
import PostgresNIO

/// The course's audit trail in PostgreSQL (`audit_event`), behaviour for behaviour the SQLite
/// `AuditDatabase`: triggers refuse every UPDATE, DELETE and TRUNCATE; appends take the
/// table's lock so that two machines never chain two events to the same predecessor.
public struct PostgresAudit: AuditLog {
    public let pool: Pool

    public init(pool: Pool) { self.pool = pool }

    public func append(_ entry: AuditEntry, link: (String) -> String) throws(JudgeError) -> AuditEvent {
        try pool.transaction { (c: Connection) throws(JudgeError) -> AuditEvent in
            // Appends take turns; readers are never blocked (this mode conflicts only with writers).
            try c.execute("LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE")
            let previous =
                try c.rows("SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1")
                .first.map { (row: PostgresRow) throws(JudgeError) in try row.value(String.self) } ?? ""
            let hash = link(previous)
            let via = entry.actor.via.rawValue
            let action = entry.action.rawValue
            let rows = try c.rows(
                """
                INSERT INTO audit_event (at, actor, via, action, challenge, subject, detail, hash)
                VALUES (\(entry.at), \(entry.actor.name), \(via), \(action), \(entry.challenge), \(entry.subject),
                        \(entry.detail), \(hash))
                RETURNING seq
                """)
            guard let seq = try rows.first.map({ (row: PostgresRow) throws(JudgeError) in try row.value(Int64.self) })
            else { throw JudgeError(code: .databaseError, message: "the audit event was not inserted") }
            return AuditEvent(seq: seq, entry: entry, hash: hash)
        }
    }

    public func events(challenge: String?, limit: Int?) throws(JudgeError) -> [AuditEvent] {
        let rows = try pool.withConnection { (c: Connection) throws(JudgeError) in
            try c.rows(
                """
                SELECT * FROM (
                  SELECT seq, at, actor, via, action, challenge, subject, detail, hash FROM audit_event
                  WHERE \(challenge)::text IS NULL OR challenge = \(challenge) ORDER BY seq DESC LIMIT \(limit)::bigint)
                AS last ORDER BY seq
                """)
        }
        var out: [AuditEvent] = []
        for row in rows {
            let (seq, at, actor, via, action, challenge, subject, detail, hash) = try row.values(
                (Int64, String, String, String, String, String?, String?, String, String).self)
            out.append(
                try AuditEvent.stored(
                    seq: seq, at: at, actor: actor, via: via, action: action, challenge: challenge, subject: subject,
                    detail: detail, hash: hash))
        }
        return out
    }
}
