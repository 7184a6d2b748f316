import Logging

/// Every setting that can come from a config file, the environment or a flag, resolved.
///
/// Values that stay `nil` were given nowhere; the commands pick their own defaults for them
/// (a random scream without a preset, the format from the file extension, full volume).
public struct Settings: Sendable, Equatable {
    /// Discord bot token; never logged.
    public var token: String?
    /// Which synthesizer renders the scream.
    public var backend: Backend = .native
    /// The named scream to render; `nil` renders a random one.
    public var preset: Preset?
    /// Scream length in seconds, replacing the preset's.
    public var duration: Double?
    /// Output volume from 0 (silence) to 1 (as designed).
    public var volume: Double?
    /// Output container; `nil` picks it from the file extension, else Ogg.
    public var format: AudioFormat?
    /// Opus bitrate in bits per second.
    public var bitrate: Int = 64_000
    /// Global seed for reproducible screams.
    public var seed: UInt64?
    /// Discord guild (server) id.
    public var guildID: UInt64?
    /// Discord voice channel id.
    public var channelID: UInt64?
    /// Log level, when one was set explicitly.
    public var logLevel: LogLevel?
    /// Shorthand for at least `info` logging.
    public var verbose = false
    /// How long `play` may take to connect, in seconds.
    public var timeout: Double = 30
    /// How long one user of `bot` waits between screams, in seconds.
    public var cooldown: Double = 10
    /// How many screams may wait in one guild's queue in `bot`, besides the one playing.
    public var queue: Int = 3
    /// The longest scream `bot` plays, in seconds; `/scream duration:` may ask for up to this.
    public var maxDuration: Double = 30
    /// Where `bot` serves `/metrics` and `/healthz`; `nil` (the default) serves nothing.
    public var metrics: ListenAddress?
    /// The shards one `bot` process runs; `nil` runs every shard.
    public var shards: ClosedRange<Int>?
    /// How many shards the bot's guilds are spread over; `nil` takes Discord's recommendation.
    public var shardCount: Int?
    /// Megabytes of encoded screams `bot` keeps to replay without synthesis; 0 keeps none.
    public var packetCache: Int = 64
    /// The config file that was read, if any.
    public var configFile: String?

    /// Creates the defaults.
    public init() {}

    /// The level logs are filtered at: the explicit level, lowered to `info` by `verbose`,
    /// else `warning`.
    public var effectiveLogLevel: Logger.Level {
        let explicit = logLevel?.loggerLevel ?? .warning
        return verbose ? min(explicit, .info) : explicit
    }

    /// The settings for a debug log line, with the token redacted.
    public var redactedSummary: String {
        let parts: [(String, String?)] = [
            ("token", token.map { _ in "<redacted>" }),
            ("backend", backend.rawValue),
            ("preset", preset?.rawValue),
            ("duration", duration.map(DurationText.text(for:))),
            ("volume", volume.map(NumberText.text(for:))),
            ("format", format?.rawValue),
            ("bitrate", "\(bitrate)"),
            ("seed", seed.map { "\($0)" }),
            ("guild_id", guildID.map { "\($0)" }),
            ("channel_id", channelID.map { "\($0)" }),
            ("timeout", DurationText.text(for: timeout)),
            ("cooldown", DurationText.text(for: cooldown)),
            ("queue", "\(queue)"),
            ("max_duration", DurationText.text(for: maxDuration)),
            ("metrics", metrics?.description),
            ("shards", shards.map(ShardSelection.text(for:))),
            ("shard_count", shardCount.map { "\($0)" }),
            ("packet_cache", "\(packetCache)"),
            ("config", configFile),
        ]
        return parts.compactMap { key, value in value.map { "\(key)=\($0)" } }.joined(separator: " ")
    }

    /// Parses `text` from `source` and stores it as the value of `key`.
    mutating func set(_ key: SettingKey, to text: String, from source: ConfigSource) throws {
        let name = key.settingName
        switch key {
        case .token:
            let token = text.trimmingWhitespace()
            guard !token.isEmpty else {
                throw ConfigError.invalidValue(setting: name, value: "", source: source, expected: "a bot token")
            }
            self.token = token
        case .backend:
            backend = try ValueParser.choice(text, as: Backend.self, setting: name, source: source)
        case .preset:
            guard let preset = Preset(rawValue: text.trimmingWhitespace().lowercased()) else {
                throw ConfigError.unknownPreset(name: text, source: source)
            }
            self.preset = preset
        case .duration:
            duration = try ValueParser.duration(text, setting: name, source: source)
        case .volume:
            guard let volume = NumberText.value(of: text.trimmingWhitespace()), volume.isFinite, (0...1).contains(volume) else {
                throw ConfigError.invalidValue(setting: name, value: text, source: source, expected: "a number from 0 to 1")
            }
            self.volume = volume
        case .format:
            format = try ValueParser.choice(text, as: AudioFormat.self, setting: name, source: source)
        case .bitrate:
            bitrate = try Self.bitrate(text, source: source)
        case .seed:
            seed = try Self.seed(text, source: source)
        case .guildID:
            guildID = try Self.snowflake(text, setting: name, source: source)
        case .channelID:
            channelID = try Self.snowflake(text, setting: name, source: source)
        case .logLevel:
            logLevel = try ValueParser.choice(text, as: LogLevel.self, setting: name, source: source)
        case .verbose:
            verbose = try ValueParser.boolean(text, setting: name, source: source)
        case .timeout:
            timeout = try ValueParser.duration(text, setting: name, source: source)
        case .cooldown:
            cooldown = try Self.cooldown(text, source: source)
        case .queue:
            queue = try Self.queue(text, source: source)
        case .packetCache:
            packetCache = try Self.packetCache(text, source: source)
        case .maxDuration:
            maxDuration = try ValueParser.duration(text, setting: name, source: source)
            guard maxDuration >= Self.shortestBotScream else {
                throw ConfigError.invalidValue(
                    setting: name, value: text, source: source,
                    expected: "a duration from \(DurationText.text(for: Self.shortestBotScream)) to \(DurationText.text(for: DurationText.maximumSeconds))")
            }
        case .metrics:
            guard let address = ListenAddress(text) else {
                throw ConfigError.invalidValue(
                    setting: name, value: text, source: source,
                    expected: "HOST:PORT with an IP address or localhost and a port from 0 to 65535, such as 127.0.0.1:9464")
            }
            metrics = address
        case .shards:
            shards = try ShardSelection.range(text, source: source)
        case .shardCount:
            shardCount = try ShardSelection.count(text, source: source)
        }
    }

    /// The shortest scream `/scream duration:` offers, in seconds.
    public static let shortestBotScream: Double = 0.5

    /// The longest queue `bot` keeps per guild.
    public static let longestQueue = 100

    /// A cooldown: zero (none) or a duration up to an hour.
    private static func cooldown(_ text: String, source: ConfigSource) throws -> Double {
        guard let seconds = DurationText.seconds(from: text), seconds.isFinite, (0...3600).contains(seconds) else {
            throw ConfigError.invalidValue(
                setting: SettingKey.cooldown.settingName, value: text, source: source,
                expected: "a duration from 0s to 1h, such as 10s")
        }
        return seconds
    }

    /// A queue length: a whole number from 0 (no waiting) to ``longestQueue``.
    private static func queue(_ text: String, source: ConfigSource) throws -> Int {
        try wholeNumber(text, in: 0...longestQueue, key: .queue, source: source, expected: "a whole number from 0 to \(longestQueue)")
    }

    /// The largest packet cache, in megabytes.
    public static let largestPacketCache = 4096

    /// A packet cache size: a whole number of megabytes from 0 (off) to ``largestPacketCache``.
    private static func packetCache(_ text: String, source: ConfigSource) throws -> Int {
        try wholeNumber(
            text, in: 0...largestPacketCache, key: .packetCache, source: source,
            expected: "a whole number of megabytes from 0 (off) to \(largestPacketCache)")
    }

    /// A whole number within `range` as the value of `key`; anything else is `expected`'s error.
    private static func wholeNumber(
        _ text: String, in range: ClosedRange<Int>, key: SettingKey, source: ConfigSource, expected: String
    ) throws -> Int {
        guard let number = Int(text.trimmingWhitespace()), range.contains(number) else {
            throw ConfigError.invalidValue(setting: key.settingName, value: text, source: source, expected: expected)
        }
        return number
    }

    /// `64000`, `64k` or `64kbps`, between Opus's 6 and 510 kbit/s.
    private static func bitrate(_ text: String, source: ConfigSource) throws -> Int {
        var digits = text.trimmingWhitespace().lowercased()
        var scale = 1
        for suffix in ["kbps", "k"] where digits.hasSuffix(suffix) {
            digits.removeLast(suffix.count)
            scale = 1000
            break
        }
        guard let value = Int(digits).flatMap({ $0.multipliedReportingOverflow(by: scale).overflow ? nil : $0 * scale }),
            (6_000...510_000).contains(value)
        else {
            throw ConfigError.invalidValue(
                setting: SettingKey.bitrate.settingName, value: text, source: source,
                expected: "bits per second from 6000 to 510000, such as 64000 or 64k")
        }
        return value
    }

    /// A seed as printed by `scream`: a whole number from 0 to 2^64-1.
    private static func seed(_ text: String, source: ConfigSource) throws -> UInt64 {
        guard let seed = UInt64(text.trimmingWhitespace()) else {
            throw ConfigError.invalidValue(
                setting: SettingKey.seed.settingName, value: text, source: source,
                expected: "a whole number from 0 to 18446744073709551615")
        }
        return seed
    }

    /// A Discord id: a positive whole number.
    private static func snowflake(_ text: String, setting: String, source: ConfigSource) throws -> UInt64 {
        guard let id = UInt64(text.trimmingWhitespace()), id > 0 else {
            throw ConfigError.invalidValue(setting: setting, value: text, source: source, expected: "a numeric Discord id")
        }
        return id
    }
}

/// The synthesizers `scream` can render with.
public enum Backend: String, CaseIterable, Sendable {
    /// The built-in synthesizer.
    case native
    /// An `ffmpeg` filter graph built from the same parameters.
    case ffmpeg
}

/// The log levels a user can choose.
public enum LogLevel: String, CaseIterable, Sendable {
    /// Every step, with secrets redacted.
    case debug
    /// Milestones.
    case info
    /// Problems that did not stop the command (the default).
    case warn
    /// Only failures.
    case error

    /// The matching swift-log level.
    public var loggerLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warn: .warning
        case .error: .error
        }
    }
}
