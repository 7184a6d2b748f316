/// Everything that can go wrong between the bot and Discord, each with one sentence for the user.
public enum DiscordVoiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A gateway URL that is not ws:// or wss://.
    case invalidURL(String)
    /// The extra CA file could not be loaded.
    case caFileUnreadable(path: String, reason: String)
    /// A TCP, TLS or UDP connection failed or dropped.
    case connectionFailed(endpoint: String, reason: String)
    /// The server answered the WebSocket upgrade with another HTTP status.
    case upgradeRejected(endpoint: String, status: Int)
    /// The main gateway closed with a code that ends the session.
    case gatewayClosed(GatewayCloseCode, reason: String)
    /// The main gateway did not send an expected message in time.
    case gatewayTimeout(waitingFor: String, seconds: Double)
    /// Reconnecting to the main gateway kept failing.
    case reconnectFailed(attempts: Int)
    /// INVALID_SESSION kept coming back.
    case invalidSession
    /// An operation needs a connected gateway or voice session.
    case notConnected
    /// The bot is not in this guild.
    case unknownGuild(Snowflake)
    /// The guild has no such channel.
    case unknownChannel(Snowflake, guild: Snowflake)
    /// The channel is not a voice or stage channel.
    case notAVoiceChannel(Snowflake)
    /// The channel is a stage, where the bot would join as a listener nobody hears: it lacks
    /// Mute Members there, or the caller did not ask to speak on stages.
    case stageChannel(Snowflake)
    /// Auto-pick found no voice channel with a human in it.
    case noPopulatedVoiceChannel(guild: Snowflake)
    /// Auto-pick found humans in voice only in channels the bot may not join and speak in, or that are full.
    case noJoinableVoiceChannel(guild: Snowflake)
    /// The bot lacks permissions it needs to be heard in the channel.
    case missingPermissions(Permissions, channel: Snowflake, guild: Snowflake)
    /// The channel is at its user limit and the bot lacks Move Members.
    case channelFull(Snowflake, limit: Int)
    /// Op 4 was not answered with both voice events in time.
    case voiceJoinTimeout(guild: Snowflake, channel: Snowflake, seconds: Double)
    /// The voice gateway closed with a code that ends the connection.
    case voiceClosed(VoiceCloseCode, reason: String)
    /// The voice gateway did not send an expected message in time.
    case voiceTimeout(waitingFor: String, seconds: Double)
    /// UDP IP discovery got no answer.
    case ipDiscoveryFailed(attempts: Int)
    /// Neither rtpsize AEAD mode was offered.
    case noSupportedEncryptionMode(offered: [String])
    /// Discord sent something malformed.
    case protocolViolation(String)
    /// The waiting task was cancelled.
    case cancelled
    /// `play` was called while the connection was already playing.
    case alreadyPlaying
    /// Nobody who could decrypt the bot's end-to-end encrypted audio joined within the connect timeout.
    case noListener(seconds: Double)
    /// Discord took the bot out of the voice channel (a moderator disconnected it, or the channel was deleted).
    case disconnectedFromVoice(channel: Snowflake)

    /// One sentence saying what happened and, where it helps, what to do.
    public var description: String {
        switch self {
        case .invalidURL(let url):
            return "\(url.debugDescription) is not a valid ws:// or wss:// URL."
        case .caFileUnreadable(let path, let reason):
            return "The CA file \(path) could not be loaded (\(reason))."
        case .connectionFailed(let endpoint, let reason):
            return "Could not connect to \(endpoint) (\(reason))."
        case .upgradeRejected(let endpoint, let status):
            return "\(endpoint) refused the WebSocket upgrade with HTTP status \(status)."
        case .gatewayClosed(let code, let reason):
            return code.sentence(reason: reason)
        case .gatewayTimeout(let stage, let seconds):
            return "The Discord gateway did not send \(stage) within \(Self.format(seconds)) s."
        case .reconnectFailed(let attempts):
            return "Lost the Discord gateway and could not reconnect after \(attempts) attempts."
        case .invalidSession:
            return "Discord invalidated the gateway session and identifying again failed."
        case .notConnected:
            return "The gateway is not connected; call connect() first."
        case .unknownGuild(let guild):
            return "The bot is not in guild \(guild); check the guild id and that the bot was invited to it."
        case .unknownChannel(let channel, let guild):
            return "Guild \(guild) has no channel \(channel); check the channel id."
        case .notAVoiceChannel(let channel):
            return "Channel \(channel) is not a voice channel."
        case .stageChannel(let channel):
            return "Channel \(channel) is a stage, where the bot would join as a muted listener; grant it Mute Members "
                + "there so it can make itself a speaker, or pick a voice channel."
        case .noPopulatedVoiceChannel(let guild):
            return "No voice channel in guild \(guild) has anyone in it; pass --channel to pick one."
        case .noJoinableVoiceChannel(let guild):
            return "No voice channel in guild \(guild) that the bot may join and speak in has anyone in it; "
                + "grant it View Channel, Connect and Speak or pass --channel to pick one."
        case .missingPermissions(let missing, let channel, let guild):
            let (noun, pronoun) = missing.names.count == 1 ? ("permission", "it") : ("permissions", "them")
            return "The bot lacks the \(missing) \(noun) in voice channel \(channel) of guild \(guild); "
                + "grant \(pronoun) to one of its roles or pick another channel."
        case .channelFull(let channel, let limit):
            return "Voice channel \(channel) is full (its limit is \(limit) users) and the bot lacks Move Members to "
                + "join anyway; pick another channel or raise the limit."
        case .voiceJoinTimeout(let guild, let channel, let seconds):
            return "Discord did not confirm joining voice channel \(channel) in guild \(guild) within "
                + "\(Self.format(seconds)) s; the bot may lack the Connect or Speak permission, the channel may be "
                + "full, or the ids may be wrong."
        case .voiceClosed(let code, let reason):
            return code.sentence(reason: reason)
        case .voiceTimeout(let stage, let seconds):
            return "The voice server did not send \(stage) within \(Self.format(seconds)) s."
        case .ipDiscoveryFailed(let attempts):
            return "The voice server did not answer UDP IP discovery after \(attempts) attempts; UDP may be blocked."
        case .noSupportedEncryptionMode(let offered):
            return "The voice server offered no supported encryption mode (offered: \(offered.joined(separator: ", ")))."
        case .protocolViolation(let detail):
            return "Discord sent something unexpected: \(detail)."
        case .cancelled:
            return "The operation was cancelled."
        case .alreadyPlaying:
            return "This voice connection is already playing; wait for the current playback to finish."
        case .noListener(let seconds):
            return "Nobody joined the voice channel within \(Self.format(seconds)) s to hear the scream, so nothing was played."
        case .disconnectedFromVoice(let channel):
            return "The bot was disconnected from voice channel \(channel) (by a moderator, or the channel was deleted), so the scream stopped."
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
    }
}
