// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Podium",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "podium", targets: ["podium"]),
        .executable(name: "podium-launcher", targets: ["podium-launcher"]),
        .library(name: "Judge", targets: ["Judge"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Intake", targets: ["Intake"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        // libarchive, wrapped once: only Intake imports it.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // libcrypto (OpenSSL), wrapped once: only Store's SHA-256 imports it.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // libseccomp (and the few raw syscalls the launcher needs), wrapped once: only the launcher imports it.
        .systemLibrary(name: "CSandbox", providers: [.apt(["libseccomp-dev"])]),
        // The sandbox launcher: a separate, single-threaded executable the judge spawns.
        .executableTarget(name: "podium-launcher", dependencies: ["CSandbox"], swiftSettings: strict),
        // Pure kernels: no files, no processes, no dependencies.
        .target(name: "Metrics", swiftSettings: strict + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "Checks", dependencies: ["Metrics"], swiftSettings: strict),
        // Bytes in, typed columns out: CSV, archives, id alignment (Metrics' concurrency helpers).
        .target(name: "Intake", dependencies: ["CArchive", "Metrics"], swiftSettings: strict),
        // Per-challenge SQLite (GRDB on the system libsqlite3) and content-addressed files.
        .target(
            name: "Store", dependencies: ["CCrypto", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // Orchestration: configuration, scoring, reports.
        .target(
            name: "Judge",
            dependencies: ["Metrics", "Checks", "Intake", "Store", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .executableTarget(
            name: "podium",
            dependencies: ["Judge", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .testTarget(name: "IntakeTests", dependencies: ["Intake"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], swiftSettings: strict),
        .testTarget(name: "JudgeTests", dependencies: ["Judge", "Checks", "Intake", "Metrics", "Store", "podium", "podium-launcher"], exclude: ["Fixtures"], swiftSettings: strict),
    ]
)
