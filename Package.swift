// swift-tools-version:6.0
import PackageDescription

// Swift 6 language mode everywhere; the hot kernels are built without bounds checks in release.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
let kernels: [SwiftSetting] = strict + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let hummingbirdTLS: Target.Dependency = .product(name: "HummingbirdTLS", package: "hummingbird")
let hummingbirdCore: Target.Dependency = .product(name: "HummingbirdCore", package: "hummingbird")
let nioSSL: Target.Dependency = .product(name: "NIOSSL", package: "swift-nio-ssl")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let bcrypt: Target.Dependency = .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")
let httpClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let nio: [Target.Dependency] = ["NIOCore", "NIOHTTP1"].map { .product(name: $0, package: "swift-nio") }
let mustache: Target.Dependency = .product(name: "Mustache", package: "swift-mustache")
let postgres: Target.Dependency = .product(name: "PostgresNIO", package: "postgres-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")

// The arrows of DESIGN §6 (ARCHITECTURE.md): each target names exactly what it may import.
let package = Package(
    name: "Podium",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "podium", targets: ["podium"]),
        .executable(name: "podium-launcher", targets: ["podium-launcher"]),
        .library(name: "PodiumApp", targets: ["PodiumApp"]),
        .library(name: "PodiumDomain", targets: ["PodiumDomain"]),
        .library(name: "PodiumTables", targets: ["PodiumTables"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        // Only to name ByteBuffer and HTTPHeaders in PodiumClient: the version async-http-client resolves.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // C libraries, each wrapped once.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSandbox", providers: [.apt(["libseccomp-dev"])]),

        // Pure: parallelism passed in, metric kernels, leakage statistics, bytes to columns.
        .target(name: "PodiumParallel", swiftSettings: kernels),
        .target(name: "PodiumMetrics", dependencies: ["PodiumParallel"], swiftSettings: kernels),
        .target(name: "PodiumTables", dependencies: ["PodiumParallel", "CArchive"], swiftSettings: strict),
        .target(
            name: "PodiumChecks", dependencies: ["PodiumParallel", "PodiumMetrics", "PodiumTables"],
            swiftSettings: strict),
        // What the launcher and the judge both speak: the verdict of a run, the meta file.
        .target(name: "SandboxProtocol", swiftSettings: strict),

        // Domain: challenge configuration, submissions and their states, admission, boards,
        // scoring of parsed inputs, findings, error codes.
        .target(
            name: "PodiumDomain",
            dependencies: [
                "PodiumParallel", "PodiumMetrics", "PodiumTables", "PodiumChecks", "SandboxProtocol", yams,
            ],
            swiftSettings: strict),
        // Application: use cases and the ports they need.
        .target(
            name: "PodiumApp",
            dependencies: [
                "PodiumDomain", "PodiumChecks", "PodiumTables", "PodiumMetrics", "PodiumParallel", "SandboxProtocol",
            ],
            swiftSettings: strict),

        // Adapters of the ports (PodiumSystem: the POSIX calls they share — folders, locks).
        .target(name: "PodiumSystem", dependencies: ["PodiumDomain"], swiftSettings: strict),
        .target(
            name: "PodiumSQLite", dependencies: ["PodiumApp", "PodiumDomain", "PodiumChecks", "PodiumSystem", grdb],
            swiftSettings: kernels),
        .target(
            name: "PodiumFiles", dependencies: ["PodiumApp", "PodiumDomain", "PodiumSystem", "CCrypto"],
            swiftSettings: strict),
        .target(
            name: "PodiumSandbox", dependencies: ["PodiumApp", "PodiumDomain", "SandboxProtocol"], swiftSettings: strict
        ),
        .target(
            name: "PodiumRendering", dependencies: ["PodiumApp", "PodiumDomain", "PodiumChecks", "PodiumMetrics"],
            swiftSettings: strict),
        // PostgreSQL (postgres-nio): every port for a course on several machines (DESIGN §8), the
        // shared queue with SKIP LOCKED claims and LISTEN/NOTIFY, blobs cached locally by hash.
        .target(
            name: "PodiumPostgres",
            dependencies: [
                "PodiumApp", "PodiumDomain", "PodiumChecks", "PodiumSystem", postgres, nioCore, nioPosix, logging,
            ],
            swiftSettings: strict),
        // Passwords: bcrypt (hummingbird-auth's HummingbirdBcrypt) behind the PasswordHasher port.
        .target(name: "PodiumPasswords", dependencies: ["PodiumApp", bcrypt], swiftSettings: strict),
        // The HTTP adapter: the JSON API, the pages, the workers' loop in the server.
        .target(
            name: "PodiumHTTP",
            dependencies: [
                "PodiumApp", "PodiumDomain", "PodiumChecks", "PodiumRendering", hummingbird, hummingbirdCore,
                hummingbirdTLS,
                httpTypes, lifecycle, nioSSL, logging, mustache,
            ],
            swiftSettings: strict),
        // The remote command line's client: credentials, the API over HTTP, errors back to JudgeError.
        .target(
            name: "PodiumClient", dependencies: ["PodiumApp", "PodiumDomain", httpClient] + nio, swiftSettings: strict),

        // The sandbox launcher: a separate, single-threaded executable the judge spawns.
        .executableTarget(
            name: "podium-launcher", dependencies: ["CSandbox", "SandboxProtocol"], swiftSettings: strict),
        // The composition root: commands that build the adapters and call the use cases.
        .executableTarget(
            name: "podium",
            dependencies: [
                "PodiumApp", "PodiumDomain", "PodiumChecks", "PodiumTables", "PodiumSQLite", "PodiumFiles",
                "PodiumSandbox", "PodiumRendering", "PodiumPasswords", "PodiumHTTP", "PodiumSystem", "PodiumClient",
                "PodiumPostgres", argumentParser,
            ],
            swiftSettings: strict),

        // What several test targets share: a real PostgreSQL per test run, a database per test.
        .target(
            name: "PodiumTestSupport", dependencies: ["PodiumPostgres", "PodiumDomain", "PodiumSystem"],
            path: "Tests/Support",
            swiftSettings: strict),
        .testTarget(
            name: "TablesTests", dependencies: ["PodiumTables", "PodiumParallel"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(name: "MetricsTests", dependencies: ["PodiumMetrics"], swiftSettings: strict),
        .testTarget(
            name: "JudgeTests",
            dependencies: [
                "PodiumApp", "PodiumDomain", "PodiumChecks", "PodiumTables", "PodiumMetrics", "PodiumSQLite",
                "PodiumFiles", "PodiumSandbox", "PodiumRendering", "PodiumPasswords", "podium", "podium-launcher",
                "PodiumTestSupport",
            ],
            exclude: ["Fixtures"], swiftSettings: strict),
        // `podium serve` as a process on a loopback port, over real HTTP.
        .testTarget(
            name: "ServerTests", dependencies: ["podium", "podium-launcher", "PodiumSQLite", "PodiumFiles"],
            swiftSettings: strict),
        // The use cases in-process against a temporary SQLite home (no process spawned).
        .testTarget(
            name: "AppTests",
            dependencies: [
                "PodiumApp", "PodiumDomain", "PodiumChecks", "PodiumSQLite", "PodiumFiles", "PodiumSandbox",
                "PodiumTables", "PodiumMetrics", "SandboxProtocol", "PodiumPostgres", "PodiumTestSupport",
                grdb, postgres,
            ],
            swiftSettings: strict),
        // The remote command line: its client in-process, and `podium` against a real `podium serve`.
        .testTarget(
            name: "ClientTests",
            dependencies: [
                "PodiumClient", "PodiumApp", "PodiumDomain", "PodiumSQLite", "PodiumFiles", "PodiumSandbox",
                "PodiumPasswords", "podium",
            ],
            swiftSettings: strict),
        // The web pages against a real `podium serve` (the built executable, started per test).
        .testTarget(name: "PagesTests", dependencies: ["PodiumHTTP"], swiftSettings: strict),
        // The PostgreSQL adapters against a private server (or `$PODIUM_TEST_STORE`), beside
        // the SQLite ones they mirror.
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "PodiumPostgres", "PodiumApp", "PodiumDomain", "PodiumFiles", "PodiumSQLite", "PodiumTestSupport",
            ],
            swiftSettings: strict),
    ]
)
