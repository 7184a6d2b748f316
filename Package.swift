// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "scream",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "scream", targets: ["scream"]),
        .library(name: "ScreamCore", targets: ["ScreamCore"]),
        .library(name: "DiscordVoice", targets: ["DiscordVoice"]),
        // The local Discord the tests and the pacing benchmark play against.
        .library(name: "FakeDiscord", targets: ["FakeDiscord"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .target(
            name: "ScreamCore",
            dependencies: [
                "COpus",
                "COgg",
                "CPNG",
                "DiscordVoice",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .executableTarget(
            name: "scream",
            dependencies: [
                "ScreamCore",
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

        .testTarget(name: "ScreamCoreTests", dependencies: ["ScreamCore", "CPNG"]),
        .testTarget(name: "MLSTests", dependencies: ["MLS"], exclude: ["Interop"]),
        .testTarget(name: "DAVETests", dependencies: ["DAVE", "MLS"]),
        .testTarget(name: "DiscordVoiceTests", dependencies: ["DiscordVoice", "FakeDiscord"]),
        .testTarget(name: "ScreamCLITests", dependencies: ["FakeDiscord"]),
    ]
)
