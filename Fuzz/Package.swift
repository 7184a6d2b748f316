// swift-tools-version:6.1
import PackageDescription

// The libFuzzer binary lives in its own package so that `swift build` of the tool never builds
// it. Build and run it with `make fuzz`, which passes `-Xswiftc -sanitize=fuzzer,address`.
let package = Package(
    name: "ScreamFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "scream", path: ".."),
    ],
    targets: [
        // libFuzzer's driver entry point, declared for Swift.
        .target(name: "CFuzzer"),
        .executableTarget(
            name: "scream-fuzz",
            dependencies: [
                "CFuzzer",
                .product(name: "ScreamFuzzing", package: "scream"),
            ],
            path: "Sources/ScreamFuzz"),
    ]
)
