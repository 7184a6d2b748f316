import Foundation
import Testing
@testable import ScreamCore

@Suite struct ConfigCascadeTests {
    /// A fresh directory holding `config.yaml` with `text`.
    private func configFile(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scream-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("config.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsApplyWhenNothingIsGiven() throws {
        let settings = try SettingsLoader.load(flags: [:], configFile: nil, environment: [:])
        #expect(settings == Settings())
        #expect(settings.bitrate == 64_000 && settings.backend == .native && settings.preset == nil)
        #expect(settings.effectiveLogLevel == .warning)
    }

    @Test func fileOverridesDefaultsEnvironmentOverridesFileFlagsOverrideEnvironment() throws {
        let path = try configFile("""
            preset: whisper
            duration: 2s
            volume: 0.5
            bitrate: 96k
            token: file-token
            """)
        let environment = ["SCREAM_DURATION": "4s", "SCREAM_VOLUME": "0.25", "DISCORD_TOKEN": "env-token"]
        let settings = try SettingsLoader.load(flags: [.volume: "0.75"], configFile: path, environment: environment)
        #expect(settings.preset == .whisper)
        #expect(settings.bitrate == 96_000)
        #expect(settings.duration == 4)
        #expect(settings.token == "env-token")
        #expect(settings.volume == 0.75)
        #expect(settings.configFile == path)
    }

    @Test func shardSettingsCascadeAndASliceNeedsItsCount() throws {
        let path = try configFile("""
            shards: 0-3
            shard_count: 8
            """)
        let fromFile = try SettingsLoader.load(flags: [:], configFile: path, environment: [:])
        #expect(try ShardSelection.validated(fromFile) == ShardSelection(ids: 0...3, count: 8))
        let overridden = try SettingsLoader.load(
            flags: [.shards: "6"], configFile: path, environment: ["SCREAM_SHARDS": "4-7", "SCREAM_SHARD_COUNT": "16"])
        #expect(try ShardSelection.validated(overridden) == ShardSelection(ids: 6...6, count: 16))
        let countOnly = try SettingsLoader.load(flags: [.shardCount: "4"], configFile: nil, environment: [:])
        #expect(try ShardSelection.validated(countOnly) == ShardSelection(ids: nil, count: 4))
        let sliceOnly = try SettingsLoader.load(flags: [.shards: "1-2"], configFile: nil, environment: [:])
        #expect(throws: ConfigError.shardsWithoutCount("1-2")) { try ShardSelection.validated(sliceOnly) }
    }

    @Test func defaultConfigFileIsFoundUnderXDGConfigHome() throws {
        let path = try configFile("preset: robot\n")
        let xdg = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let scream = xdg + "/scream"
        try FileManager.default.createDirectory(atPath: scream, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: path, toPath: scream + "/config.yaml")
        let settings = try SettingsLoader.load(flags: [:], configFile: nil, environment: ["XDG_CONFIG_HOME": xdg])
        #expect(settings.preset == .robot)
    }

    @Test func emptyEnvironmentVariablesCountAsUnset() throws {
        let settings = try SettingsLoader.load(flags: [:], configFile: nil, environment: ["SCREAM_PRESET": ""])
        #expect(settings.preset == nil)
    }

    @Test func badEnvironmentValueIsAnErrorEvenWhenAFlagOverridesIt() {
        let error = #expect(throws: ConfigError.self) {
            try SettingsLoader.load(flags: [.volume: "0.5"], configFile: nil, environment: ["SCREAM_VOLUME": "2"])
        }
        #expect(error?.description == "invalid volume '2' from environment variable SCREAM_VOLUME: expected a number from 0 to 1.")
    }

    @Test func badFileValueNamesTheFileAndKey() throws {
        let path = try configFile("backend: sox\n")
        let error = #expect(throws: ConfigError.self) {
            try SettingsLoader.load(flags: [:], configFile: path, environment: [:])
        }
        #expect(error?.description == "invalid backend 'sox' from key 'backend' in \(path): expected native or ffmpeg.")
    }

    @Test func unknownConfigKeyIsNamed() throws {
        let path = try configFile("presett: classic\n")
        let error = #expect(throws: ConfigError.self) {
            try SettingsLoader.load(flags: [:], configFile: path, environment: [:])
        }
        #expect(error?.description.hasPrefix("unknown key 'presett' in \(path); valid keys here are: token, backend, preset,") == true)
    }

    @Test func unknownPresetListsTheValidOnes() {
        let error = #expect(throws: ConfigError.self) {
            try SettingsLoader.load(flags: [.preset: "opera"], configFile: nil, environment: [:])
        }
        #expect(error?.description == "unknown preset 'opera' from --preset; valid presets are: classic, whisper, death-metal, glitch, banshee, robot.")
    }

    @Test func explicitConfigFileMustExist() {
        let error = #expect(throws: ConfigError.self) {
            try SettingsLoader.load(flags: [:], configFile: "/nonexistent/scream.yaml", environment: [:])
        }
        #expect(error?.description == "cannot read /nonexistent/scream.yaml: no such file.")
    }

    @Test(arguments: [("64000", 64_000), ("64k", 64_000), ("128kbps", 128_000), ("6000", 6_000)])
    func bitrateAcceptsPlainAndKiloForms(text: String, bits: Int) throws {
        #expect(try SettingsLoader.load(flags: [.bitrate: text], configFile: nil, environment: [:]).bitrate == bits)
    }

    @Test(arguments: ["5999", "511k", "fast", "64m"])
    func bitrateOutsideOpusRangeIsRejected(text: String) {
        #expect(throws: ConfigError.self) {
            try SettingsLoader.load(flags: [.bitrate: text], configFile: nil, environment: [:])
        }
    }

    @Test func verboseLowersTheLogLevelToInfoButNotBelowAnExplicitDebug() throws {
        let verbose = try SettingsLoader.load(flags: [.verbose: "true"], configFile: nil, environment: [:])
        #expect(verbose.effectiveLogLevel == .info)
        let debug = try SettingsLoader.load(flags: [:], configFile: nil, environment: ["SCREAM_VERBOSE": "1", "SCREAM_LOG_LEVEL": "debug"])
        #expect(debug.effectiveLogLevel == .debug)
    }

    @Test func redactedSummaryNeverContainsTheToken() throws {
        let settings = try SettingsLoader.load(flags: [.token: "secret-token-value"], configFile: nil, environment: [:])
        #expect(settings.redactedSummary.contains("token=<redacted>"))
        #expect(!settings.redactedSummary.contains("secret-token-value"))
    }

    @Test(arguments: ["0", "-5", "12a"])
    func nonNumericOrZeroDiscordIdsAreRejected(text: String) {
        #expect(throws: ConfigError.self) {
            try SettingsLoader.load(flags: [:], configFile: nil, environment: ["SCREAM_GUILD_ID": text])
        }
    }

    @Test func theMetricsAddressIsOffByDefaultAndFollowsTheCascade() throws {
        #expect(try SettingsLoader.load(flags: [:], configFile: nil, environment: [:]).metrics == nil)
        let path = try configFile("metrics: 127.0.0.1:9464\n")
        let fromFile = try SettingsLoader.load(flags: [:], configFile: path, environment: [:])
        #expect(fromFile.metrics == ListenAddress(host: "127.0.0.1", port: 9464))
        let fromEnvironment = try SettingsLoader.load(flags: [:], configFile: path, environment: ["SCREAM_METRICS": "[::1]:0"])
        #expect(fromEnvironment.metrics == ListenAddress(host: "::1", port: 0))
        let fromFlag = try SettingsLoader.load(
            flags: [.metrics: "localhost:9100"], configFile: path, environment: ["SCREAM_METRICS": "[::1]:0"])
        #expect(fromFlag.metrics == ListenAddress(host: "localhost", port: 9100))
        #expect(fromFlag.redactedSummary.contains("metrics=localhost:9100"))
    }

    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1:9464"), (" 0.0.0.0:0 ", "0.0.0.0:0"), ("[::1]:9464", "[::1]:9464"),
        ("[::]:80", "[::]:80"), ("[2001:db8::8:1]:65535", "[2001:db8::8:1]:65535"), ("localhost:1", "localhost:1"),
    ])
    func listenAddressesParseAndPrintBack(text: String, printed: String) throws {
        #expect(try #require(ListenAddress(text)).description == printed)
    }

    @Test(arguments: [
        "", "9464", ":9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+80", "127.0.0.1:http",
        "1.2.3:80", "1.2.3.4.5:80", "256.1.1.1:80", "example.com:80", "::1:9464", "[::1]", "[::1]9464", "[1:2:3:4:5:6:7:8:9]:80",
        "[1::2::3]:80", "[:::]:80", "[fe80::1%eth0]:80",
    ])
    func malformedListenAddressesAreRefused(text: String) {
        #expect(ListenAddress(text) == nil)
    }
}
