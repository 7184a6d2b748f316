// swift-tools-version:6.1
import PackageDescription

// The benchmark suite lives in its own package so its dependencies never reach the tool.
// Run it with `make bench` (or `swift package --allow-writing-to-package-directory benchmark`).
let package = Package(
    name: "ScreamBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "scream", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ScreamBenchmarks",
            dependencies: [
                .product(name: "ScreamCore", package: "scream"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ScreamBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // The real-time sender against the local fake Discord: `make bench` runs it after the suite.
        .executableTarget(
            name: "Pacing",
            dependencies: [
                .product(name: "ScreamCore", package: "scream"),
                .product(name: "DiscordVoice", package: "scream"),
                .product(name: "FakeDiscord", package: "scream"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Pacing"),
        // The real `scream bot` under N guilds screaming at once: `make bench` runs it last.
        .executableTarget(
            name: "BotLoad",
            dependencies: [
                .product(name: "FakeDiscord", package: "scream"),
            ],
            path: "BotLoad"),
    ]
)
