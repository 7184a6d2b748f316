import DiscordREST
import DiscordVoice
import Foundation
import ScreamCore

/// The `/scream` slash command: its name, its options, and the invite that lets a bot use it.
public enum ScreamCommand {
    /// The command name users type.
    public static let name = "scream"

    /// The description Discord shows under the name.
    public static let description = "Join your voice channel, scream, and leave."

    /// The command as the bot registers it: four optional options, usable in guilds only.
    public static func definition(maxDuration: Double) -> ApplicationCommand {
        typealias Option = ApplicationCommand.Option
        let presets = ScreamOrder.presetChoices.map { ApplicationCommand.Choice(name: $0, value: .string($0)) }
        return ApplicationCommand(
            name: name, description: description, type: ApplicationCommand.Kind.chatInput,
            options: [
                Option(type: Option.Kind.string, name: "preset", description: "Which scream (default: the bot's own choice).", choices: presets),
                Option(
                    type: Option.Kind.number, name: "duration", description: "Length in seconds.",
                    minValue: Settings.shortestBotScream, maxValue: maxDuration),
                Option(
                    type: Option.Kind.integer, name: "seed", description: "The same seed gives the same scream.",
                    minValue: 0, maxValue: Double(ScreamOrder.largestSeed)),
                Option(type: Option.Kind.number, name: "volume", description: "From 0 (silent) to 1 (full).", minValue: 0, maxValue: 1),
            ],
            contexts: [ApplicationCommand.Context.guild], integrationTypes: [ApplicationCommand.IntegrationType.guildInstall])
    }

    /// Whether the commands Discord holds are exactly `wanted`, ignoring what Discord adds
    /// (ids, versions, and defaults it fills in such as `required: false` or `nsfw: false`).
    public static func registered(_ commands: [ApplicationCommand], match wanted: [ApplicationCommand]) -> Bool {
        commands.map(normalized).sorted { $0.name < $1.name } == wanted.map(normalized).sorted { $0.name < $1.name }
    }

    private static func normalized(_ command: ApplicationCommand) -> ApplicationCommand {
        var command = command.definition
        command.type = command.type ?? ApplicationCommand.Kind.chatInput
        command.nsfw = command.nsfw == true ? true : nil
        command.options = command.options.map { options in
            options.map { option in
                var option = option
                option.required = option.required == true ? true : nil
                if option.choices?.isEmpty == true { option.choices = nil }
                return option
            }
        }
        if command.options?.isEmpty == true { command.options = nil }
        return command
    }

    /// The permissions the bot asks for in its invite: View Channel, Connect and Speak.
    public static let invitePermissions: Permissions = .voicePlayback

    /// The OAuth2 URL that adds the bot to a server with the `bot` and
    /// `applications.commands` scopes and ``invitePermissions``.
    public static func inviteURL(applicationID: Snowflake) -> String {
        "https://discord.com/oauth2/authorize?client_id=\(applicationID)"
            + "&scope=bot%20applications.commands&permissions=\(invitePermissions.rawValue)"
    }

    /// The application id a bot token carries: its first dot-separated part is the bot's
    /// user id (which is its application's id) in base64; `nil` when it does not decode.
    /// A `Bot ` prefix is ignored.
    public static func applicationID(fromToken token: String) -> Snowflake? {
        let token = token.hasPrefix("Bot ") ? String(token.dropFirst(4)) : token
        guard let head = token.split(separator: ".", omittingEmptySubsequences: false).first, !head.isEmpty else { return nil }
        var base64 = head.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let id = Snowflake(text), id.rawValue > 0
        else { return nil }
        return id
    }
}
