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

extension PostgresStore {
    /// The challenges, their versions, submissions and scores; `snapshots` records a version's
    /// files beside its row (the blob store's).
    public func challenges(snapshots: PostgresChallenges.VersionFiles? = nil) -> PostgresChallenges {
        PostgresChallenges(pool: pool, snapshots: snapshots)
    }
}
