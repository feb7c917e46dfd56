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
        // The layers, each depending only on those above it here: the build refuses a cycle, and
        // Tests/import-graph.py (in `make lint`) an import of a target that is not declared.
        // Shared vocabulary: diagnostics and errors, quoting, JSON values, dates, atomic files.
        .target(name: "ModelGateSupport", dependencies: ["CSystem"]),
        // The only code that talks to libgit2.
        .target(
            name: "ModelGateGit",
            dependencies: ["ModelGateSupport", "CGit2", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Bounded YAML loading with positions, and the schema reader.
        .target(name: "ModelGateYAML", dependencies: ["ModelGateSupport", "CLibYAML"]),
        // The registry's files: their formats (policies included), where they live (RegistryLayout), loading
        // them from a commit, and the stage history.
        .target(
            name: "ModelGateRegistry",
            dependencies: [
                "ModelGateSupport", "ModelGateGit", "ModelGateYAML", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The gate: rules, trust (attestations, signing keys, trusted rules), evidence, data profiles and drift
        // measures, the check runner and its reports.
        .target(
            name: "ModelGateGate",
            dependencies: ["ModelGateRegistry", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The features, each over the gate or the registry and never over another feature.
        // Retraining in the sandbox, attestations, and recording a version (from a run or an MLflow store).
        .target(name: "ModelGateRepro", dependencies: ["ModelGateGate", "CSQLite", "CSystem"]),
        // Deployment bundles and the GitOps folders rendered from them.
        .target(
            name: "ModelGateBundle",
            dependencies: ["ModelGateGate", .product(name: "Mustache", package: "swift-mustache")],
            plugins: [.plugin(name: "EmbedFilesPlugin")]
        ),
        // The drift report of live data against a stage holder's training-data profile.
        .target(name: "ModelGateDrift", dependencies: ["ModelGateGate"]),
        // Promotion and rollback with compare-and-swap, and the stage history's rendering.
        .target(name: "ModelGatePromotion", dependencies: ["ModelGateGate"]),
        // New registries: `init` (with the example) and the import from GTO.
        .target(
            name: "ModelGateImport", dependencies: ["ModelGateRegistry"], plugins: [.plugin(name: "EmbedFilesPlugin")]
        ),
        // The static site of a registry.
        .target(
            name: "ModelGateSite",
            dependencies: ["ModelGateGate", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Everything above as one module, for the command line and for clients of the library.
        .target(
            name: "ModelGateKit",
            dependencies: [
                "ModelGateRegistry", "ModelGateGate", "ModelGateRepro", "ModelGateBundle", "ModelGateDrift",
                "ModelGatePromotion", "ModelGateImport", "ModelGateSite",
            ]
        ),
        .executableTarget(name: "embed-files", path: "Sources/embed-files"),
        .plugin(
            name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["embed-files"],
            path: "Sources/EmbedFilesPlugin"),
        .target(
            name: "ModelGateCLI",
            dependencies: [
                "ModelGateKit",
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
        .testTarget(name: "ModelGateRegistryTests", dependencies: ["ModelGateRegistry", "ModelGateTestSupport"]),
        .testTarget(
            name: "ModelGateGateTests", dependencies: ["ModelGateGate", "ModelGateTestSupport"],
            exclude: ["Reporting/Golden"]),
        .testTarget(name: "ModelGateReproTests", dependencies: ["ModelGateRepro", "ModelGateTestSupport"]),
        .testTarget(name: "ModelGateBundleTests", dependencies: ["ModelGateBundle", "ModelGateTestSupport"]),
        .testTarget(name: "ModelGatePromotionTests", dependencies: ["ModelGatePromotion", "ModelGateTestSupport"]),
        .testTarget(name: "ModelGateImportTests", dependencies: ["ModelGateImport", "ModelGateTestSupport"]),
        .testTarget(name: "ModelGateFuzzingTests", dependencies: ["ModelGateFuzzing"], exclude: ["Regressions"]),
        .testTarget(name: "ModelGateSiteTests", dependencies: ["ModelGateSite"]),
        .testTarget(
            name: "ModelGateCLITests", dependencies: ["ModelGateKit", "ModelGateTestSupport"],
            exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
