import DiscordVoice

/// Why the bot will not scream for an interaction: the one sentence it replies with,
/// visible only to the person who asked (an ephemeral reply).
public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The member is in no voice channel of the guild.
    case notInVoice
    /// The member's channel is a stage where the bot lacks Mute Members, so it would join as a muted listener.
    case stage(channel: Snowflake)
    /// The bot lacks some of View Channel, Connect and Speak in the member's channel.
    case missingPermissions(channel: Snowflake, missing: [String])
    /// The member's channel is at its user limit.
    case channelFull(channel: Snowflake, limit: Int)
    /// The member screamed less than the cooldown ago.
    case coolingDown(secondsLeft: Int)
    /// The guild's queue already holds as many screams as it may.
    case queueFull(limit: Int)
    /// An option has a value the command does not take.
    case badOption(String, expected: String)
    /// The command was used outside a guild, or is not `/scream`.
    case notInGuild
    /// Discord reports the guild unavailable (an outage), so the bot cannot see its channels.
    case guildUnavailable
    /// The bot is shutting down.
    case shuttingDown

    public var description: String {
        switch self {
        case .notInVoice:
            "Join a voice channel first, then use /scream again."
        case .stage(let channel):
            "<#\(channel)> is a stage, where I could only listen; give me Mute Members there to speak, or join a voice channel and try again."
        case .missingPermissions(let channel, let missing):
            "I can't scream in <#\(channel)>: I lack the \(Self.list(missing)) permission\(missing.count == 1 ? "" : "s") there."
        case .channelFull(let channel, let limit):
            "<#\(channel)> is full (\(limit) of \(limit)); I can't join it."
        case .coolingDown(let secondsLeft):
            "You screamed a moment ago; try again in \(secondsLeft) s."
        case .queueFull(let limit):
            "\(limit) scream\(limit == 1 ? " is" : "s are") already waiting in this server; try again once \(limit == 1 ? "it has" : "they have") played."
        case .badOption(let name, let expected):
            "The \(name) option must be \(expected)."
        case .notInGuild:
            "/scream works only in a server's text channels."
        case .guildUnavailable:
            "Discord reports this server unavailable right now; try again in a minute."
        case .shuttingDown:
            "I'm shutting down; try again in a minute."
        }
    }

    /// `A`, `A and B`, `A, B and C`.
    private static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }
}
