import DiscordREST
import DiscordVoice
import Logging

/// Getting into the voice channel of a scream, the step `play` and `bot` share.
///
/// On a stage the bot joins as a suppressed listener; where it holds Mute Members it then
/// makes itself a speaker (`PATCH /guilds/{guild.id}/voice-states/@me` with `suppress: false`)
/// and waits for Discord's VOICE_STATE_UPDATE saying so, since audio sent before that is heard
/// by nobody.
enum VoiceJoin {
    /// Joins `channel` and returns the connection, ready to be heard; a stage without Mute
    /// Members is ``DiscordVoiceError/stageChannel(_:)``.
    static func join(
        guild: Snowflake, channel: Snowflake, gateway: GatewayClient, rest: RESTClient, logger: Logger
    ) async throws -> VoiceConnection {
        let voice = try await gateway.joinVoice(guild: guild, channel: channel, allowingStage: true)
        do {
            guard try await gateway.guild(guild).channels[channel]?.isStage == true else { return voice }
            try await becomeSpeaker(guild: guild, channel: channel, gateway: gateway, rest: rest)
        } catch {
            await voice.leave()
            throw error
        }
        logger.info("speaking on stage \(channel)")
        return voice
    }

    private static func becomeSpeaker(
        guild: Snowflake, channel: Snowflake, gateway: GatewayClient, rest: RESTClient
    ) async throws {
        do throws(DiscordRESTError) {
            try await rest.updateCurrentUserVoiceState(guild: guild.description, channel: channel.description, suppress: false)
        } catch .unauthorized {
            throw PlayError.tokenRejected
        } catch {
            throw PlayError.api(error)
        }
        try await gateway.waitUntilSpeaker(guild: guild, channel: channel)
    }
}
