import Logging

/// One `scream play` request for a real Discord voice channel.
public struct PlayRequest: Sendable {
    /// The scream to play.
    public var recipe: ScreamRecipe
    /// The guild (server) to join.
    public var guildID: UInt64
    /// The voice channel; `nil` picks the busiest one.
    public var channelID: UInt64?
    /// The bot token; never logged.
    public var token: String
    /// Opus bitrate in bits per second.
    public var bitrate: Int
    /// How long connecting may take, in seconds.
    public var timeout: Double
    /// The synthesizer.
    public var backend: Backend

    /// Builds a request from resolved settings; a missing guild or token is an error.
    public init(recipe: ScreamRecipe, settings: Settings) throws {
        guard let guildID = settings.guildID else { throw ServiceError.missingGuild }
        guard let token = settings.token else { throw ServiceError.missingToken }
        self.recipe = recipe
        self.guildID = guildID
        self.channelID = settings.channelID
        self.token = token
        self.bitrate = settings.bitrate
        self.timeout = settings.timeout
        self.backend = settings.backend
    }
}

/// Plays a scream into a Discord voice channel.
public enum LivePlay {
    /// Joins, plays and leaves. This build has no Discord client, so it always fails with
    /// ``ServiceError/livePlayUnavailable``.
    public static func run(_ request: PlayRequest, trap: SignalTrap, logger: Logger) async throws {
        logger.info("play: guild \(request.guildID), channel \(request.channelID.map(String.init) ?? "auto"), \(request.recipe.origin)")
        throw ServiceError.livePlayUnavailable
    }
}
