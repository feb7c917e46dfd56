// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "modelgate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "modelgate", targets: ["modelgate"]),
        .library(name: "ModelGateKit", targets: ["ModelGateKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "CSystem"),
        // The layers, each depending only on those above it here: the build refuses an arrow back.
        // Shared vocabulary: diagnostics and errors, quoting, JSON values, dates, atomic files.
        .target(name: "ModelGateSupport", dependencies: ["CSystem"]),
        // The only code that talks to libgit2.
        .target(
            name: "ModelGateGit",
            dependencies: ["ModelGateSupport", "CGit2", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Bounded YAML loading with positions, and the schema reader.
        .target(name: "ModelGateYAML", dependencies: ["ModelGateSupport", "CLibYAML"]),
        // The product: registry, policy, trust, promotion, bundles, repro, record, drift, reports.
        .target(
            name: "ModelGateKit",
            dependencies: [
                "ModelGateSupport",
                "ModelGateGit",
                "ModelGateYAML",
                "CSQLite",
                "CSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            plugins: [.plugin(name: "EmbedFilesPlugin")]
        ),
        .target(
            name: "ModelGateSite",
            dependencies: ["ModelGateKit", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(name: "embed-files", path: "Sources/embed-files"),
        .plugin(
            name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["embed-files"],
            path: "Sources/EmbedFilesPlugin"),
        .target(
            name: "ModelGateCLI",
            dependencies: [
                "ModelGateKit",
                "ModelGateSite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "modelgate", dependencies: ["ModelGateCLI"]),
        .target(
            name: "ModelGateFuzzing",
            dependencies: ["ModelGateKit", "ModelGateYAML"]
        ),
        .executableTarget(name: "modelgate-fuzz", dependencies: ["ModelGateFuzzing"]),
        .target(
            name: "ModelGateTestSupport",
            dependencies: ["ModelGateKit"],
            path: "Tests/ModelGateTestSupport"
        ),
        .testTarget(name: "ModelGateSupportTests", dependencies: ["ModelGateSupport"]),
        .testTarget(
            name: "ModelGateGitTests", dependencies: ["ModelGateGit", "ModelGateSupport", "ModelGateTestSupport"]),
        .testTarget(name: "ModelGateYAMLTests", dependencies: ["ModelGateYAML", "ModelGateSupport"]),
        .testTarget(
            name: "ModelGateKitTests", dependencies: ["ModelGateKit", "ModelGateTestSupport"],
            exclude: ["Reporting/Golden"]),
        .testTarget(name: "ModelGateFuzzingTests", dependencies: ["ModelGateFuzzing"], exclude: ["Regressions"]),
        .testTarget(name: "ModelGateSiteTests", dependencies: ["ModelGateSite"]),
        .testTarget(
            name: "ModelGateCLITests", dependencies: ["ModelGateKit", "ModelGateTestSupport"],
            exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
