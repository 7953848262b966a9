import Foundation
import GRDB
import PodiumApp
import PodiumDomain

/// The course's audit trail, `<home>/audit.sqlite`: one table of events that triggers keep
/// append-only (an UPDATE or DELETE aborts), each chained to the one before by its hash. The
/// file is opened, and made, only when an event is first written or read, so commands that
/// change nothing never create it.
public final class AuditDatabase: AuditLog {
    let path: String
    let opened = Locked<SQLiteFile?>(nil)

    public init(path: String) { self.path = path }

    /// The trail of a home folder.
    public convenience init(home: String) { self.init(path: home + "/audit.sqlite") }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT,
                      at TEXT NOT NULL,
                      actor TEXT NOT NULL,
                      via TEXT NOT NULL,
                      action TEXT NOT NULL,
                      challenge TEXT,
                      subject TEXT,
                      detail TEXT NOT NULL,
                      hash TEXT NOT NULL);
                    CREATE INDEX eventByChallenge ON event (challenge, seq);
                    CREATE TRIGGER eventNoUpdate BEFORE UPDATE ON event
                      BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    CREATE TRIGGER eventNoDelete BEFORE DELETE ON event
                      BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    """)
        }
        return m
    }

    func file() throws(JudgeError) -> SQLiteFile {
        if let file = opened.withLock({ $0 }) { return file }
        let file = try SQLiteFile(path: path, migrator: Self.migrator)
        return opened.withLock { current in
            if let current { return current }
            current = file
            return file
        }
    }

    /// Whether the trail has been written at all (a home that never recorded an event has no file).
    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    public func append(_ entry: AuditEntry, link: (String) -> String) throws(JudgeError) -> AuditEvent {
        try file().write { db in
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM event ORDER BY seq DESC LIMIT 1") ?? ""
            let hash = link(previous)
            try db.execute(
                sql: """
                    INSERT INTO event (at, actor, via, action, challenge, subject, detail, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.at, entry.actor.name, entry.actor.via.rawValue, entry.action.rawValue, entry.challenge,
                    entry.subject, entry.detail, hash,
                ])
            return AuditEvent(seq: db.lastInsertedRowID, entry: entry, hash: hash)
        }
    }

    public func events(challenge: String?, limit: Int?) throws(JudgeError) -> [AuditEvent] {
        guard exists else { return [] }
        let rows = try file().read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                      SELECT seq, at, actor, via, action, challenge, subject, detail, hash FROM event
                      WHERE ? IS NULL OR challenge = ? ORDER BY seq DESC LIMIT ?)
                    ORDER BY seq
                    """,
                arguments: [challenge, challenge, limit ?? -1])
        }
        var out: [AuditEvent] = []
        for row in rows {
            out.append(
                try AuditEvent.stored(
                    seq: row["seq"], at: row["at"], actor: row["actor"], via: row["via"], action: row["action"],
                    challenge: row["challenge"], subject: row["subject"], detail: row["detail"], hash: row["hash"]))
        }
        return out
    }
}
