import Foundation

/// Which store the use-case tests run on: `PODIUM_TEST_BACKEND=postgres` runs every one of them
/// on PostgreSQL (scripts/test.sh runs the suite twice, once per store), so the two adapters
/// cannot drift apart.
enum StoreKind: String {
    case sqlite, postgres

    static let current: StoreKind =
        ProcessInfo.processInfo.environment["PODIUM_TEST_BACKEND"] == "postgres" ? .postgres : .sqlite
}
