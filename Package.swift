// swift-tools-version:6.1
import PackageDescription

/// Release builds of the synthesizer on x86-64 target x86-64-v3 (AVX2), so its vector
/// lanes run four doubles wide; `swift build -c release --disable-default-traits` builds
/// for the x86-64 baseline instead. The output is the same bytes either way: no fused
/// multiply-adds are generated.
#if arch(x86_64)
let synthesisSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v3"], .when(configuration: .release, traits: ["X86_64_V3"]))
]
#else
let synthesisSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "scream",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "scream", targets: ["scream"]),
        .library(name: "ScreamCore", targets: ["ScreamCore"]),
        .library(name: "DiscordVoice", targets: ["DiscordVoice"]),
        .library(name: "DiscordREST", targets: ["DiscordREST"]),
        .library(name: "ScreamDiscord", targets: ["ScreamDiscord"]),
        // The local Discord the tests and the pacing benchmark play against.
        .library(name: "FakeDiscord", targets: ["FakeDiscord"]),
        // The fuzz entry points the Fuzz package's libFuzzer binary and the corpus replay test share.
        .library(name: "ScreamFuzzing", targets: ["ScreamFuzzing"]),
    ],
    traits: [
        .trait(name: "X86_64_V3", description: "Build the synthesizer for x86-64-v3 (AVX2) in release builds."),
        .default(enabledTraits: ["X86_64_V3"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpus", pkgConfig: "opus",
            providers: [.apt(["libopus-dev"]), .brew(["opus"])]),
        .systemLibrary(
            name: "COgg", pkgConfig: "ogg",
            providers: [.apt(["libogg-dev"]), .brew(["libogg"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),

        .target(
            name: "MLS",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "DAVE",
            dependencies: [
                "MLS",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        .target(
            name: "DiscordVoice",
            dependencies: [
                "DAVE",
                "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // Discord's HTTP API: typed endpoints, rate limits, errors in one sentence.
        .target(
            name: "DiscordREST",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .target(
            name: "ScreamCore",
            dependencies: [
                "COpus",
                "COgg",
                "CPNG",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: synthesisSettings),
        // Discord orchestration: one request to a finished voice session, for `play` and `bot`.
        .target(
            name: "ScreamDiscord",
            dependencies: [
                "ScreamCore",
                "DiscordVoice",
                "DiscordREST",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "scream",
            dependencies: [
                "ScreamCore",
                "ScreamDiscord",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // A local Discord (gateway, voice gateway, UDP voice server) for tests.
        .target(
            name: "FakeDiscord",
            dependencies: [
                "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),

        // One function per fuzz target: bytes in, the real decoders run, nothing else is asserted
        // but their round trips. `make fuzz` drives them; FuzzCorpusTests replays Tests/Fuzz.
        .target(
            name: "ScreamFuzzing",
            dependencies: [
                "MLS",
                "DAVE",
                "DiscordVoice",
                "ScreamCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),

        .testTarget(name: "ScreamCoreTests", dependencies: ["ScreamCore", "CPNG"]),
        .testTarget(name: "MLSTests", dependencies: ["MLS"], exclude: ["Interop"]),
        .testTarget(name: "DAVETests", dependencies: ["DAVE", "MLS"]),
        .testTarget(name: "DiscordVoiceTests", dependencies: ["DiscordVoice", "FakeDiscord"]),
        .testTarget(
            name: "ScreamCLITests",
            dependencies: [
                "FakeDiscord",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(name: "ScreamDiscordTests", dependencies: ["ScreamDiscord"]),
        .testTarget(
            name: "DiscordRESTTests",
            dependencies: [
                "DiscordREST",
                "FakeDiscord",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["ScreamFuzzing"]),
    ]
)
