import DiscordVoice
import ScreamCore

/// Everything `scream bot` runs with, resolved from the config cascade and the environment.
public struct BotSettings: Sendable {
    /// The bot token without a `Bot ` prefix; never logged.
    public var token: String
    /// The guild to register `/scream` in instead of globally (instant, for testing).
    public var registrationGuild: Snowflake?
    /// Whether to register the command at start.
    public var register: Bool
    /// How long a user waits between screams.
    public var cooldown: Duration
    /// How many screams may wait in one guild besides the one playing.
    public var queue: Int
    /// The longest scream the bot plays, in seconds.
    public var maxDuration: Double
    /// The scream `/scream` plays without a preset option; `nil` plays a random one.
    public var defaultPreset: Preset?
    /// Opus bitrate in bits per second.
    public var bitrate: Int
    /// The synthesizer.
    public var backend: Backend
    /// How long each connect step may take.
    public var timeout: Duration
    /// Bytes of encoded screams kept for replaying without synthesis or encoding; 0 keeps none.
    public var packetCacheBytes: Int
    /// Where the gateway and the HTTP API are, and which extra CAs to trust.
    public var endpoints: DiscordEndpoints
    /// Where `/metrics` and `/healthz` are served; `nil` serves nothing.
    public var metrics: ListenAddress?
    /// Which shards this process runs, of how many.
    public var shards: ShardSelection

    /// Resolves the bot's settings; a missing or malformed token is a ``PlayError``, shard
    /// settings that disagree a `ConfigError`.
    public init(settings: Settings, register: Bool, environment: [String: String]) throws {
        guard let token = settings.token else { throw PlayError.missingToken }
        self.token = try PlayRequest.bareToken(token)
        self.registrationGuild = settings.guildID.map(Snowflake.init)
        self.register = register
        self.cooldown = .milliseconds(Int64((settings.cooldown * 1000).rounded()))
        self.queue = settings.queue
        self.maxDuration = settings.maxDuration
        self.defaultPreset = settings.preset
        self.bitrate = settings.bitrate
        self.backend = settings.backend
        self.timeout = .milliseconds(Int64((settings.timeout * 1000).rounded()))
        self.packetCacheBytes = settings.packetCache * 1_000_000
        self.endpoints = try DiscordEndpoints(environment: environment)
        self.metrics = settings.metrics
        self.shards = try ShardSelection.validated(settings)
    }

    /// The packet cache these settings ask for, or nil when `packet_cache` is 0.
    public func makePacketCache() -> PacketCache? {
        packetCacheBytes > 0 ? PacketCache(capacity: packetCacheBytes) : nil
    }
}
