/// Someone's presence in a voice channel, as the gateway reports it.
public struct VoiceState: Sendable, Hashable {
    /// The user.
    public var userID: Snowflake
    /// The voice channel, or nil after leaving.
    public var channelID: Snowflake?
    /// The user's gateway session.
    public var sessionID: String
    /// Whether the user is a bot, when the gateway said so.
    public var isBot: Bool

    /// A voice state with the given fields.
    public init(userID: Snowflake, channelID: Snowflake?, sessionID: String, isBot: Bool = false) {
        self.userID = userID
        self.channelID = channelID
        self.sessionID = sessionID
        self.isBot = isBot
    }

    /// Parses a voice state object; nil without a user id.
    public init?(json: JSONValue) {
        guard let user = json["user_id"]?.snowflake ?? json["member"]?["user"]?["id"]?.snowflake else { return nil }
        self.init(
            userID: user, channelID: json["channel_id"]?.snowflake, sessionID: json["session_id"]?.string ?? "",
            isBot: json["member"]?["user"]?["bot"]?.bool ?? false)
    }
}

/// A guild channel: id, name and type.
public struct GuildChannel: Sendable, Hashable {
    /// The channel id.
    public var id: Snowflake
    /// The channel name.
    public var name: String
    /// Discord's channel type number (2 voice, 13 stage).
    public var type: Int64

    /// A channel with the given fields.
    public init(id: Snowflake, name: String, type: Int64) {
        self.id = id
        self.name = name
        self.type = type
    }

    /// Whether members can join it for voice (GUILD_VOICE or GUILD_STAGE_VOICE).
    public var isVoice: Bool { type == 2 || type == 13 }

    /// Whether it is a stage (GUILD_STAGE_VOICE), where a bot joins as a suppressed listener.
    public var isStage: Bool { type == 13 }
}

/// What the bot knows of a guild: channels, who is in voice, and which members are bots.
public struct Guild: Sendable, Hashable {
    /// The guild id.
    public var id: Snowflake
    /// The guild name.
    public var name: String
    /// Channels by id.
    public var channels: [Snowflake: GuildChannel]
    /// Current voice states by user id.
    public var voiceStates: [Snowflake: VoiceState]
    /// Users known to be bots.
    public var bots: Set<Snowflake>

    /// A guild with the given contents.
    public init(
        id: Snowflake, name: String, channels: [Snowflake: GuildChannel] = [:],
        voiceStates: [Snowflake: VoiceState] = [:], bots: Set<Snowflake> = []
    ) {
        self.id = id
        self.name = name
        self.channels = channels
        self.voiceStates = voiceStates
        self.bots = bots
    }

    /// Parses a GUILD_CREATE payload; nil without an id.
    public init?(guildCreate json: JSONValue) {
        guard let id = json["id"]?.snowflake else { return nil }
        var channels: [Snowflake: GuildChannel] = [:]
        for channel in json["channels"]?.array ?? [] {
            guard let channelID = channel["id"]?.snowflake else { continue }
            channels[channelID] = GuildChannel(
                id: channelID, name: channel["name"]?.string ?? "", type: channel["type"]?.int ?? -1)
        }
        var bots: Set<Snowflake> = []
        for member in json["members"]?.array ?? [] where member["user"]?["bot"]?.bool == true {
            if let user = member["user"]?["id"]?.snowflake { bots.insert(user) }
        }
        var voiceStates: [Snowflake: VoiceState] = [:]
        for entry in json["voice_states"]?.array ?? [] {
            guard let state = VoiceState(json: entry), state.channelID != nil else { continue }
            voiceStates[state.userID] = state
            if state.isBot { bots.insert(state.userID) }
        }
        self.init(id: id, name: json["name"]?.string ?? "", channels: channels, voiceStates: voiceStates, bots: bots)
    }

    /// Records a VOICE_STATE_UPDATE: moves, joins, and leaves (channel nil).
    public mutating func apply(_ state: VoiceState) {
        if state.isBot { bots.insert(state.userID) }
        if state.channelID == nil {
            voiceStates.removeValue(forKey: state.userID)
        } else {
            voiceStates[state.userID] = state
        }
    }

    /// The voice channel with the most users that are not bots (ties: lowest id), excluding
    /// `me`; stages are passed over, since nobody would hear the bot there.
    public func busiestVoiceChannel(excluding me: Snowflake?) -> Snowflake? {
        var counts: [Snowflake: Int] = [:]
        for state in voiceStates.values where state.userID != me && !bots.contains(state.userID) {
            guard let channel = state.channelID, let kind = channels[channel], kind.isVoice, !kind.isStage else { continue }
            counts[channel, default: 0] += 1
        }
        return counts.max { lhs, rhs in
            lhs.value != rhs.value ? lhs.value < rhs.value : lhs.key > rhs.key
        }?.key
    }
}
