import DiscordVoice

/// Where a `/scream` would play: the caller's voice channel, if the bot can be heard there.
enum VoiceChannelCheck {
    /// The voice channel `user` is in, or the refusal that explains why the bot cannot scream
    /// in it: no channel, a stage where it lacks Mute Members, missing permissions or a full channel.
    static func channel(for user: Snowflake, in guild: Guild, bot: Snowflake?) -> Result<Snowflake, Refusal> {
        guard let channelID = guild.voiceStates[user]?.channelID else { return .failure(.notInVoice) }
        if guild.channels[channelID]?.isStage == true, bot.map({ guild.maySpeak(onStage: channelID, as: $0) }) != true {
            return .failure(.stage(channel: channelID))
        }
        guard let bot else { return .success(channelID) }
        switch guild.joinProblem(for: bot, in: channelID) {
        case .missing(let permissions): return .failure(.missingPermissions(channel: channelID, missing: permissions.names))
        case .full(let limit): return .failure(.channelFull(channel: channelID, limit: limit))
        case nil: return .success(channelID)
        }
    }
}
