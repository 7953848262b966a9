// swift-tools-version:6.0
// The libFuzzer targets, kept out of the main build (scripts/fuzz.sh builds and runs them).
import Foundation
import PackageDescription

// A path dependency is named by its folder: the checkout's name, whatever it is.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let targets = [
    "fuzz-csv-table", "fuzz-csv-solution", "fuzz-csv-predictions", "fuzz-number", "fuzz-challenge-yaml",
    "fuzz-bundle-yaml", "fuzz-archive", "fuzz-csv-ranking",
]

func products(_ name: String) -> [Target.Dependency] {
    let intake: [Target.Dependency] = [.product(name: "PodiumTables", package: root), "FuzzSupport"]
    return name.hasSuffix("yaml") ? intake + [.product(name: "PodiumDomain", package: root)] : intake
}

let package = Package(
    name: "PodiumFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(
            name: "FuzzSupport", dependencies: [.product(name: "PodiumTables", package: root)],
            swiftSettings: [.swiftLanguageMode(.v6)])
    ]
        + targets.map {
            .executableTarget(name: $0, dependencies: products($0), swiftSettings: [.swiftLanguageMode(.v6)])
        }
)
