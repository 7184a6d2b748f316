import DiscordVoice

/// The parts of an INTERACTION_CREATE that the bot uses.
public struct Interaction: Sendable, Equatable {
    /// Discord's interaction type number for an application command.
    public static let applicationCommand: Int64 = 2

    /// The interaction id (for the callback).
    public var id: Snowflake
    /// The interaction token (for the callback and the webhook edits); never logged.
    public var token: String
    /// The application the interaction is for.
    public var applicationID: Snowflake
    /// The interaction type (2 for a slash command).
    public var type: Int64
    /// The guild it came from, `nil` in a direct message.
    public var guildID: Snowflake?
    /// The text channel it was typed in.
    public var channelID: Snowflake?
    /// The member who used the command.
    public var userID: Snowflake?
    /// The member's role ids.
    public var roles: [Snowflake]
    /// The command name.
    public var commandName: String?
    /// The command's options, as sent.
    public var options: [JSONValue]

    /// Parses the payload's `d`; `nil` without an id, a token or an application id.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.snowflake, let token = json["token"]?.string, !token.isEmpty,
            let applicationID = json["application_id"]?.snowflake
        else { return nil }
        self.id = id
        self.token = token
        self.applicationID = applicationID
        self.type = json["type"]?.int ?? 0
        self.guildID = json["guild_id"]?.snowflake
        self.channelID = json["channel_id"]?.snowflake ?? json["channel"]?["id"]?.snowflake
        self.userID = json["member"]?["user"]?["id"]?.snowflake ?? json["user"]?["id"]?.snowflake
        self.roles = json["member"]?["roles"]?.array?.compactMap(\.snowflake) ?? []
        self.commandName = json["data"]?["name"]?.string
        self.options = json["data"]?["options"]?.array ?? []
    }

    /// Whether this is `/scream` typed in a guild by a member.
    public var isScreamCommand: Bool {
        type == Self.applicationCommand && commandName == ScreamCommand.name
    }
}
