import DiscordREST
import DiscordVoice
import ScreamCore

/// Why a scream could not be played into a Discord voice channel.
public enum PlayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The subcommand that met the error, where the sentence depends on it.
    public enum Command: Sendable, Hashable {
        /// `scream play`.
        case play
        /// `scream bot`.
        case bot
    }

    /// `play` needs a guild id.
    case missingGuild
    /// `play` and `bot` need a bot token.
    case missingToken
    /// The bot token cannot be one; `reason` says why (the token itself is never shown).
    case invalidToken(reason: String)
    /// `SCREAM_GATEWAY_URL` is set to the empty string.
    case emptyGatewayURL
    /// A SIGHUP, SIGINT, SIGQUIT or SIGTERM stopped `play`; `joined` says whether the bot
    /// had joined the channel (it left it before exiting) or was still connecting.
    case interrupted(signal: Int32, joined: Bool)
    /// Discord refused or failed the connection, the join or the playback.
    case discord(DiscordVoiceError)
    /// Discord's HTTP API answered 401 to the bot token.
    case tokenRejected
    /// The daily IDENTIFY budget is down to its reserve, so the command did not connect.
    case identifiesRunningLow(IdentifyBudget, command: Command)
    /// Fewer IDENTIFYs are left today than the bot has shards to start.
    case identifiesFewerThanShards(IdentifyBudget, shards: Int)
    /// A request to Discord's HTTP API failed, or its URL or CA file cannot be used.
    case api(DiscordRESTError)

    public var description: String {
        switch self {
        case .missingGuild:
            "no guild id given; pass --guild ID (or GUILD as the first argument) or set SCREAM_GUILD_ID."
        case .missingToken:
            "no Discord bot token given; pass --token, set DISCORD_TOKEN or add token to the config file."
        case .invalidToken(let reason):
            "the Discord bot token is not valid: \(reason); copy it again from the Bot page of your application."
        case .emptyGatewayURL:
            "SCREAM_GATEWAY_URL is set but empty; unset it to use Discord's gateway, or set it to a wss:// URL."
        case .interrupted(let signal, joined: true):
            "interrupted by \(SignalTrap.name(of: signal)); the bot left the voice channel."
        case .interrupted(let signal, joined: false):
            "interrupted by \(SignalTrap.name(of: signal)) before the bot had joined the voice channel; nothing was played."
        case .discord(let error):
            error.description
        case .tokenRejected:
            "Discord rejected the bot token (HTTP 401); check the token from the Developer Portal."
        case .identifiesRunningLow(let budget, .play):
            "only \(budget.remaining) of the \(budget.total) gateway logins (IDENTIFY) Discord allows this token a day "
                + "are left until they reset in \(budget.resetText), and play keeps the last \(budget.reserve) for other "
                + "tools, since running out gets the token reset; for frequent screams, keep scream bot running: it logs in once."
        case .identifiesRunningLow(let budget, .bot):
            "only \(budget.remaining) of the \(budget.total) gateway logins (IDENTIFY) Discord allows this token a day "
                + "are left until they reset in \(budget.resetText), and the bot keeps the last \(budget.reserve) for other "
                + "tools, since running out gets the token reset; start it again after the reset."
        case .identifiesFewerThanShards(let budget, let shards):
            "only \(budget.remaining) of the \(budget.total) gateway logins (IDENTIFY) Discord allows this token a day "
                + "are left until they reset in \(budget.resetText), fewer than the \(shards) shards this process would "
                + "start; start it again after the reset, or run fewer shards with --shards."
        case .api(let error):
            error.description
        }
    }

    /// The process exit status for this error: 128 + the signal for interruptions, 2 for
    /// problems with what the user asked for (a rejected token or ids the bot cannot use
    /// count), 1 for everything else.
    public var exitStatus: Int32 {
        switch self {
        case .interrupted(let signal, _): 128 + signal
        case .discord(let error): Self.isInputProblem(error) ? 2 : 1
        case .api(let error): Self.isInputProblem(error) ? 2 : 1
        default: 2
        }
    }

    private static func isInputProblem(_ error: DiscordRESTError) -> Bool {
        switch error {
        case .invalidBaseURL, .caFileUnreadable, .unauthorized, .forbidden, .notFound: true
        default: false
        }
    }

    private static func isInputProblem(_ error: DiscordVoiceError) -> Bool {
        switch error {
        case .gatewayClosed(.authenticationFailed, _), .unknownGuild, .unknownChannel, .notAVoiceChannel, .stageChannel,
            .missingPermissions, .channelFull, .invalidURL, .caFileUnreadable:
            true
        default:
            false
        }
    }
}
