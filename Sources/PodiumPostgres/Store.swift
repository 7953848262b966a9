import Foundation
import PodiumApp
import PodiumDomain

/// A course on PostgreSQL (DESIGN §8): the connection pool, migrated when opened, and the
/// adapters of every port on it.
public final class PostgresStore: Sendable {
    public let pool: Pool

    /// Connects to `url` (a `postgres://` URL) and applies the missing migrations.
    public init(url: String, connections: Int = 8) throws(JudgeError) {
        pool = Pool(try StoreURL(url), maximum: connections)
        try Schema.migrate(pool)
    }

    public var redactedURL: String { pool.url.redacted }
}
