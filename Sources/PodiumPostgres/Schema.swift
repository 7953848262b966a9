import Foundation
import PodiumDomain
import PostgresNIO

/// The course's schema: one for all challenges, created and upgraded by numbered migrations
/// (each in its own transaction, recorded in `podium_migration`), applied under an advisory
/// lock so that a server and its workers starting together migrate once.
public enum Schema {
    /// The migrations in order; a new one goes at the end and is never edited once released.
    static let migrations: [(name: String, sql: [String])] = [
        (
            "v1-course",
            [
                """
                CREATE TABLE challenge (
                  id text PRIMARY KEY,
                  next_submission bigint NOT NULL DEFAULT 1,
                  created_at text NOT NULL)
                """,
                """
                CREATE TABLE version (
                  challenge text NOT NULL REFERENCES challenge,
                  number integer NOT NULL,
                  content_hash text NOT NULL,
                  published_at text NOT NULL,
                  folder text NOT NULL,
                  forced boolean NOT NULL DEFAULT false,
                  PRIMARY KEY (challenge, number),
                  UNIQUE (challenge, content_hash))
                """,
                // A version's files, each a blob: the snapshot a worker fetches by hash.
                """
                CREATE TABLE version_file (
                  challenge text NOT NULL,
                  version integer NOT NULL,
                  name text NOT NULL,
                  sha256 text NOT NULL,
                  PRIMARY KEY (challenge, version, name),
                  FOREIGN KEY (challenge, version) REFERENCES version)
                """,
                """
                CREATE TABLE allowance (
                  challenge text NOT NULL,
                  version integer NOT NULL,
                  "check" text NOT NULL,
                  reason text NOT NULL,
                  allowed_at text NOT NULL,
                  PRIMARY KEY (challenge, version, "check"),
                  FOREIGN KEY (challenge, version) REFERENCES version)
                """,
                // Submission numbers are per challenge (the API's CHALLENGE-N), from
                // challenge.next_submission, taken under the challenge row's lock.
                """
                CREATE TABLE submission (
                  challenge text NOT NULL REFERENCES challenge,
                  id bigint NOT NULL,
                  participant text NOT NULL,
                  team text NOT NULL,
                  file_sha256 text NOT NULL,
                  file_name text NOT NULL,
                  message text,
                  submitted_at text NOT NULL,
                  day text NOT NULL,
                  late boolean NOT NULL,
                  status text NOT NULL CHECK (status IN ('queued', 'running', 'scored', 'rejected', 'failed')),
                  version integer NOT NULL,
                  error_code text,
                  error_message text,
                  error_row bigint,
                  error_column text,
                  selected boolean NOT NULL DEFAULT false,
                  held boolean NOT NULL DEFAULT false,
                  cleared_reason text,
                  lease_owner text,
                  lease_until double precision,
                  attempts integer NOT NULL DEFAULT 0,
                  available_at double precision NOT NULL DEFAULT 0,
                  PRIMARY KEY (challenge, id),
                  FOREIGN KEY (challenge, version) REFERENCES version)
                """,
                "CREATE INDEX submission_by_team_day ON submission (challenge, team, day)",
                "CREATE INDEX submission_queued ON submission (available_at, challenge, id) WHERE status = 'queued'",
                "CREATE INDEX submission_running ON submission (lease_until) WHERE status = 'running'",
                "CREATE INDEX submission_running_team ON submission (challenge, team) WHERE status = 'running'",
                // One score per (submission, version), whatever the retries: the primary key.
                """
                CREATE TABLE score (
                  challenge text NOT NULL,
                  submission_id bigint NOT NULL,
                  version integer NOT NULL,
                  status text NOT NULL,
                  public_primary double precision,
                  private_primary double precision,
                  report text NOT NULL,
                  scored_at text NOT NULL,
                  PRIMARY KEY (challenge, submission_id, version),
                  FOREIGN KEY (challenge, submission_id) REFERENCES submission)
                """,
                """
                CREATE TABLE interval (
                  challenge text NOT NULL,
                  submission_id bigint NOT NULL,
                  version integer NOT NULL,
                  split text NOT NULL,
                  low double precision,
                  high double precision,
                  PRIMARY KEY (challenge, submission_id, version, split),
                  FOREIGN KEY (challenge, submission_id) REFERENCES submission)
                """,
                """
                CREATE TABLE probe (
                  challenge text NOT NULL,
                  submission_id bigint NOT NULL,
                  signature bytea NOT NULL,
                  PRIMARY KEY (challenge, submission_id),
                  FOREIGN KEY (challenge, submission_id) REFERENCES submission)
                """,
                // When a team was last served by a worker: the claim takes the team served
                // longest ago first (one participant at a time in turn).
                """
                CREATE TABLE team_turn (
                  challenge text NOT NULL,
                  team text NOT NULL,
                  served_at double precision NOT NULL,
                  PRIMARY KEY (challenge, team))
                """,
                // Files by content, in chunks of at most 1 MiB (a row never holds a whole upload).
                """
                CREATE TABLE blob (
                  sha256 text PRIMARY KEY,
                  size bigint NOT NULL,
                  chunks integer NOT NULL,
                  stored_at text NOT NULL)
                """,
                """
                CREATE TABLE blob_chunk (
                  sha256 text NOT NULL REFERENCES blob ON DELETE CASCADE,
                  seq integer NOT NULL,
                  data bytea NOT NULL,
                  PRIMARY KEY (sha256, seq))
                """,
                """
                CREATE TABLE account (
                  name text PRIMARY KEY,
                  role text NOT NULL CHECK (role IN ('student', 'instructor')),
                  display text NOT NULL,
                  email text,
                  created_at text NOT NULL,
                  disabled_at text,
                  password_hash text)
                """,
                """
                CREATE TABLE secret (
                  sha256 text PRIMARY KEY,
                  kind text NOT NULL CHECK (kind IN ('invite', 'token')),
                  name text NOT NULL REFERENCES account,
                  created_at text NOT NULL,
                  expires_at text,
                  revoked_at text,
                  label text)
                """,
                "CREATE INDEX secret_by_name ON secret (name, kind)",
                "CREATE TABLE failed_login (name text NOT NULL, at text NOT NULL)",
                "CREATE INDEX failed_login_by_name ON failed_login (name, at)",
                // A re-score shared by the workers: one item per submission to evaluate.
                """
                CREATE TABLE rescore_job (
                  id bigserial PRIMARY KEY,
                  challenge text NOT NULL REFERENCES challenge,
                  version integer NOT NULL,
                  started_by text NOT NULL,
                  started_at double precision NOT NULL,
                  total integer NOT NULL,
                  finished_at double precision)
                """,
                """
                CREATE TABLE rescore_item (
                  job bigint NOT NULL REFERENCES rescore_job ON DELETE CASCADE,
                  challenge text NOT NULL,
                  submission_id bigint NOT NULL,
                  status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
                  outcome text,
                  lease_owner text,
                  lease_until double precision,
                  attempts integer NOT NULL DEFAULT 0,
                  available_at double precision NOT NULL DEFAULT 0,
                  error text,
                  PRIMARY KEY (job, submission_id))
                """,
                "CREATE INDEX rescore_item_queued ON rescore_item (available_at, job) WHERE status = 'queued'",
            ]
        ),
        (
            "v2-audit",
            [
                // The audit trail: append-only (triggers refuse UPDATE, DELETE and TRUNCATE),
                // each event chained to the one before by its hash.
                """
                CREATE TABLE audit_event (
                  seq bigserial PRIMARY KEY,
                  at text NOT NULL,
                  actor text NOT NULL,
                  via text NOT NULL,
                  action text NOT NULL,
                  challenge text,
                  subject text,
                  detail text NOT NULL,
                  hash text NOT NULL)
                """,
                "CREATE INDEX audit_event_by_challenge ON audit_event (challenge, seq)",
                """
                CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$
                """,
                """
                CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
                FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
                """,
                """
                CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
                FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
                """,
            ]
        ),
    ]

    /// The number of the newest migration this program knows.
    public static var current: Int { migrations.count }

    /// Applies the missing migrations; refuses a database a newer Podium migrated.
    public static func migrate(_ pool: Pool) throws(JudgeError) {
        try pool.withConnection { (c: Connection) throws(JudgeError) in
            // One migrator at a time across every process of the course.
            try c.execute("SELECT pg_advisory_lock(7370046601)")
            defer { _ = try? c.execute("SELECT pg_advisory_unlock(7370046601)") }
            try c.execute(
                """
                CREATE TABLE IF NOT EXISTS podium_migration (
                  number integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let applied =
                try c.rows("SELECT COALESCE(MAX(number), 0) FROM podium_migration")
                .first.map { (row: PostgresRow) throws(JudgeError) in try row.value(Int.self) } ?? 0
            guard applied <= migrations.count else {
                throw JudgeError(
                    code: .databaseError,
                    message: "the store \(pool.url.redacted) was migrated by a newer Podium (migration \(applied); "
                        + "this one knows \(migrations.count)): upgrade this program")
            }
            for (index, migration) in migrations.enumerated() where index + 1 > applied {
                try c.execute("BEGIN")
                do throws(JudgeError) {
                    for statement in migration.sql { try c.execute(PostgresQuery(unsafeSQL: statement)) }
                    let number = index + 1
                    let name = migration.name
                    try c.execute("INSERT INTO podium_migration (number, name) VALUES (\(number), \(name))")
                    try c.execute("COMMIT")
                } catch {
                    _ = try? c.execute("ROLLBACK")
                    throw error
                }
            }
        }
    }
}
