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
    /// The main gateway URL (`SCREAM_GATEWAY_URL`, else Discord's).
    public var gatewayURL: String
    /// The REST API base URL (`SCREAM_API_URL`, else Discord's).
    public var apiURL: String
    /// A PEM file of extra trusted CAs (`SCREAM_CA_FILE`).
    public var caFile: String?

    /// Discord's REST API, version 10.
    public static let defaultAPIURL = "https://discord.com/api/v10"

    /// Resolves the bot's settings; a missing or malformed token is an error.
    public init(settings: Settings, register: Bool, environment: [String: String]) throws(PlayError) {
        guard let token = settings.token else { throw .missingToken }
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
        if environment["SCREAM_GATEWAY_URL"]?.isEmpty == true { throw .emptyGatewayURL }
        self.gatewayURL = environment["SCREAM_GATEWAY_URL"] ?? DiscordVoice.defaultGatewayURL
        self.apiURL = environment["SCREAM_API_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultAPIURL
        self.caFile = environment["SCREAM_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
