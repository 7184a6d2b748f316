/// A setting that the config file, the environment and flags can all set, with its name in each.
public enum SettingKey: String, CaseIterable, Sendable {
    /// Discord bot token.
    case token
    /// Synthesizer.
    case backend
    /// Named scream.
    case preset
    /// Scream length.
    case duration
    /// Output volume, 0...1.
    case volume
    /// Output container.
    case format
    /// Opus bitrate.
    case bitrate
    /// Seed.
    case seed
    /// Discord guild id.
    case guildID = "guild_id"
    /// Discord voice channel id.
    case channelID = "channel_id"
    /// Log level.
    case logLevel = "log_level"
    /// At least info logging.
    case verbose
    /// Connect timeout for `play`.
    case timeout
    /// How long a user of `bot` waits between screams.
    case cooldown
    /// How many screams may wait in one guild's queue in `bot`.
    case queue
    /// The longest scream `bot` plays.
    case maxDuration = "max_duration"
    /// Where `bot` serves `/metrics` and `/healthz`.
    case metrics
    /// The shards one `bot` process runs, `0-7` or `3`.
    case shards
    /// How many shards the bot's guilds are spread over, across every process.
    case shardCount = "shard_count"
    /// Megabytes of encoded screams `bot` keeps for replaying.
    case packetCache = "packet_cache"

    /// The key in a config file.
    public var yamlKey: String { rawValue }

    /// The environment variable, for the settings that have one.
    public var environmentVariable: String? {
        switch self {
        case .token: "DISCORD_TOKEN"
        case .backend: "SCREAM_BACKEND"
        case .preset: "SCREAM_PRESET"
        case .duration: "SCREAM_DURATION"
        case .volume: "SCREAM_VOLUME"
        case .format: "SCREAM_FORMAT"
        case .guildID: "SCREAM_GUILD_ID"
        case .channelID: "SCREAM_CHANNEL_ID"
        case .logLevel: "SCREAM_LOG_LEVEL"
        case .verbose: "SCREAM_VERBOSE"
        case .cooldown: "SCREAM_COOLDOWN"
        case .queue: "SCREAM_QUEUE"
        case .maxDuration: "SCREAM_MAX_DURATION"
        case .metrics: "SCREAM_METRICS"
        case .shards: "SCREAM_SHARDS"
        case .shardCount: "SCREAM_SHARD_COUNT"
        case .packetCache: "SCREAM_PACKET_CACHE"
        case .bitrate, .seed, .timeout: nil
        }
    }

    /// The command-line option.
    public var flag: String {
        switch self {
        case .guildID: "--guild"
        case .channelID: "--channel"
        case .logLevel: "--log-level"
        case .maxDuration: "--max-duration"
        case .shardCount: "--shard-count"
        case .packetCache: "--packet-cache"
        default: "--\(rawValue)"
        }
    }

    /// The setting's name in error messages.
    var settingName: String {
        switch self {
        case .guildID: "guild id"
        case .channelID: "channel id"
        case .logLevel: "log level"
        case .maxDuration: "max duration"
        case .metrics: "metrics address"
        case .shardCount: "shard count"
        case .packetCache: "packet cache"
        default: rawValue
        }
    }
}
