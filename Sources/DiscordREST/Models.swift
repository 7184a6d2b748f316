/// `GET /gateway/bot`: where to connect and how many sessions may still start.
public struct GatewayBot: Codable, Sendable, Hashable {
    /// The gateway WebSocket URL (without query).
    public var url: String
    /// Recommended shard count.
    public var shards: Int
    /// The IDENTIFY budget.
    public var sessionStartLimit: SessionStartLimit

    /// How many sessions may start before the budget resets.
    public struct SessionStartLimit: Codable, Sendable, Hashable {
        /// Sessions allowed per reset period.
        public var total: Int
        /// Sessions still allowed.
        public var remaining: Int
        /// Milliseconds until `remaining` resets to `total`.
        public var resetAfter: Int
        /// IDENTIFY requests allowed per 5 seconds.
        public var maxConcurrency: Int

        /// Creates a limit.
        public init(total: Int, remaining: Int, resetAfter: Int, maxConcurrency: Int) {
            self.total = total
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.maxConcurrency = maxConcurrency
        }

        enum CodingKeys: String, CodingKey {
            case total, remaining
            case resetAfter = "reset_after"
            case maxConcurrency = "max_concurrency"
        }
    }

    enum CodingKeys: String, CodingKey {
        case url, shards
        case sessionStartLimit = "session_start_limit"
    }
}

/// A Discord user, as `GET /users/@me` returns the bot.
public struct User: Codable, Sendable, Hashable {
    /// Snowflake id (for a bot, usually also its application id).
    public var id: String
    /// User name.
    public var username: String
    /// Display name, when set.
    public var globalName: String?
    /// Whether this is a bot account.
    public var bot: Bool?

    enum CodingKeys: String, CodingKey {
        case id, username, bot
        case globalName = "global_name"
    }
}

/// An application command as registered with Discord; `id`, `applicationID`, `guildID` and
/// `version` are assigned by Discord and left out when nil.
public struct ApplicationCommand: Codable, Sendable, Hashable {
    /// Command types.
    public enum Kind {
        /// A slash command.
        public static let chatInput = 1
        /// A user context-menu command.
        public static let user = 2
        /// A message context-menu command.
        public static let message = 3
    }

    /// Interaction contexts (`contexts`).
    public enum Context {
        /// In a guild.
        public static let guild = 0
        /// In the bot's DM.
        public static let botDM = 1
        /// In group DMs and DMs other than the bot's.
        public static let privateChannel = 2
    }

    /// Installation contexts (`integration_types`).
    public enum IntegrationType {
        /// Installed to a guild.
        public static let guildInstall = 0
        /// Installed to a user.
        public static let userInstall = 1
    }

    /// Snowflake id, assigned by Discord.
    public var id: String?
    /// The owning application, assigned by Discord.
    public var applicationID: String?
    /// The guild of a guild command, assigned by Discord.
    public var guildID: String?
    /// Version snowflake, bumped by Discord on each change.
    public var version: String?
    /// `Kind` value; nil means a slash command.
    public var type: Int?
    /// 1–32 characters; lowercase for slash commands.
    public var name: String
    /// 1–100 characters for slash commands, empty for context-menu ones.
    public var description: String
    /// Parameters.
    public var options: [Option]?
    /// Permission bitfield a member needs by default, as a string.
    public var defaultMemberPermissions: String?
    /// `Context` values where the command may be used.
    public var contexts: [Int]?
    /// `IntegrationType` values the command is available for.
    public var integrationTypes: [Int]?
    /// Age-restricted.
    public var nsfw: Bool?

    /// Creates a command to register.
    public init(
        name: String, description: String, type: Int? = Kind.chatInput, options: [Option]? = nil,
        defaultMemberPermissions: String? = nil, contexts: [Int]? = nil, integrationTypes: [Int]? = nil,
        nsfw: Bool? = nil
    ) {
        self.name = name
        self.description = description
        self.type = type
        self.options = options
        self.defaultMemberPermissions = defaultMemberPermissions
        self.contexts = contexts
        self.integrationTypes = integrationTypes
        self.nsfw = nsfw
    }

    /// The command as registered, without the fields Discord assigns: compare this to what was sent.
    public var definition: ApplicationCommand {
        var copy = self
        copy.id = nil
        copy.applicationID = nil
        copy.guildID = nil
        copy.version = nil
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case id, version, type, name, description, options, contexts, nsfw
        case applicationID = "application_id"
        case guildID = "guild_id"
        case defaultMemberPermissions = "default_member_permissions"
        case integrationTypes = "integration_types"
    }

    /// A command parameter.
    public struct Option: Codable, Sendable, Hashable {
        /// Option types.
        public enum Kind {
            /// A string.
            public static let string = 3
            /// An integer.
            public static let integer = 4
            /// A boolean.
            public static let boolean = 5
            /// A user.
            public static let user = 6
            /// A channel.
            public static let channel = 7
            /// A double.
            public static let number = 10
        }

        /// `Kind` value.
        public var type: Int
        /// 1–32 lowercase characters.
        public var name: String
        /// 1–100 characters.
        public var description: String
        /// Whether the user must fill it in.
        public var required: Bool?
        /// The only values allowed (at most 25).
        public var choices: [Choice]?
        /// Smallest integer or number allowed.
        public var minValue: Double?
        /// Largest integer or number allowed.
        public var maxValue: Double?
        /// Shortest string allowed.
        public var minLength: Int?
        /// Longest string allowed.
        public var maxLength: Int?
        /// Channel types a channel option accepts.
        public var channelTypes: [Int]?

        /// Creates an option.
        public init(
            type: Int, name: String, description: String, required: Bool? = nil, choices: [Choice]? = nil,
            minValue: Double? = nil, maxValue: Double? = nil, minLength: Int? = nil, maxLength: Int? = nil,
            channelTypes: [Int]? = nil
        ) {
            self.type = type
            self.name = name
            self.description = description
            self.required = required
            self.choices = choices
            self.minValue = minValue
            self.maxValue = maxValue
            self.minLength = minLength
            self.maxLength = maxLength
            self.channelTypes = channelTypes
        }

        enum CodingKeys: String, CodingKey {
            case type, name, description, required, choices
            case minValue = "min_value"
            case maxValue = "max_value"
            case minLength = "min_length"
            case maxLength = "max_length"
            case channelTypes = "channel_types"
        }
    }

    /// One allowed value of an option.
    public struct Choice: Codable, Sendable, Hashable {
        /// 1–100 characters shown to the user.
        public var name: String
        /// The value the interaction carries.
        public var value: Value

        /// Creates a choice.
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// A choice value: a string, an integer or a number.
    public enum Value: Codable, Sendable, Hashable {
        /// A string value.
        case string(String)
        /// An integer value.
        case integer(Int)
        /// A number value.
        case number(Double)

        /// Decodes whichever of the three the JSON holds.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let integer = try? container.decode(Int.self) {
                self = .integer(integer)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        /// Encodes the bare value.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .integer(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            }
        }
    }
}

/// The message part of an interaction response, an edit or a follow-up.
public struct MessagePayload: Codable, Sendable, Hashable {
    /// `flags` bit that shows the message only to the invoking user.
    public static let ephemeral = 1 << 6

    /// Text, up to 2000 characters.
    public var content: String?
    /// Message flags (`ephemeral`).
    public var flags: Int?
    /// Which mentions may ping; `AllowedMentions.none` pings nobody.
    public var allowedMentions: AllowedMentions?

    /// Creates a payload.
    public init(content: String? = nil, ephemeral: Bool = false, allowedMentions: AllowedMentions? = nil) {
        self.content = content
        self.flags = ephemeral ? Self.ephemeral : nil
        self.allowedMentions = allowedMentions
    }

    /// Which mentions in the content may ping.
    public struct AllowedMentions: Codable, Sendable, Hashable {
        /// Mention kinds to parse: `roles`, `users`, `everyone`.
        public var parse: [String]

        /// Pings nobody.
        public static let none = AllowedMentions(parse: [])

        /// Creates allowed mentions.
        public init(parse: [String]) {
            self.parse = parse
        }
    }

    enum CodingKeys: String, CodingKey {
        case content, flags
        case allowedMentions = "allowed_mentions"
    }
}

/// `POST /interactions/{id}/{token}/callback` body.
public struct InteractionResponse: Codable, Sendable, Hashable {
    /// Callback types.
    public enum Kind {
        /// Answer with a message now.
        public static let channelMessageWithSource = 4
        /// Acknowledge now ("thinking…"), edit the original response later.
        public static let deferredChannelMessageWithSource = 5
    }

    /// `Kind` value.
    public var type: Int
    /// The message, for type 4; flags only, for type 5.
    public var data: MessagePayload?

    /// Creates a response.
    public init(type: Int, data: MessagePayload?) {
        self.type = type
        self.data = data
    }

    /// Type 4: answer with `content` now.
    public static func message(_ content: String, ephemeral: Bool = false) -> InteractionResponse {
        InteractionResponse(
            type: Kind.channelMessageWithSource,
            data: MessagePayload(content: content, ephemeral: ephemeral, allowedMentions: AllowedMentions.none))
    }

    /// Type 5: acknowledge now and edit the original response within 15 minutes.
    public static func deferred(ephemeral: Bool = false) -> InteractionResponse {
        InteractionResponse(type: Kind.deferredChannelMessageWithSource, data: ephemeral ? MessagePayload(ephemeral: true) : nil)
    }

    private typealias AllowedMentions = MessagePayload.AllowedMentions
}

/// A message Discord returns for an edit or a follow-up.
public struct Message: Codable, Sendable, Hashable {
    /// Snowflake id.
    public var id: String
    /// Channel it is in.
    public var channelID: String?
    /// Text.
    public var content: String
    /// Message flags.
    public var flags: Int?

    enum CodingKeys: String, CodingKey {
        case id, content, flags
        case channelID = "channel_id"
    }
}

/// `PATCH /guilds/{guild.id}/voice-states/@me` body.
struct CurrentUserVoiceState: Codable, Sendable {
    /// The stage the bot is in: Discord acts only on the stage channel the user has joined.
    var channelID: String
    var suppress: Bool

    enum CodingKeys: String, CodingKey {
        case suppress
        case channelID = "channel_id"
    }
}
