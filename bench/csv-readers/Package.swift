// swift-tools-version: 6.0
// Reads one CSV file with each of the CSV packages modelgate could have used, to choose its reader by
// measurement (`bench/profile.sh` runs it beside `modelgate profile`). Not part of the product.
import PackageDescription

let package = Package(
    name: "csv-readers",
    dependencies: [
        .package(url: "https://github.com/swiftcsv/SwiftCSV", exact: "0.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "csv-readers",
            dependencies: [
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
