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
    /// The member's role ids, when the voice state carried a `member` object.
    public var roles: [Snowflake]?
    /// Whether the user may not speak: on a stage, an audience member rather than a speaker.
    public var suppress: Bool

    /// A voice state with the given fields.
    public init(
        userID: Snowflake, channelID: Snowflake?, sessionID: String, isBot: Bool = false, roles: [Snowflake]? = nil,
        suppress: Bool = false
    ) {
        self.userID = userID
        self.channelID = channelID
        self.sessionID = sessionID
        self.isBot = isBot
        self.roles = roles
        self.suppress = suppress
    }

    /// Parses a voice state object; nil without a user id.
    public init?(json: JSONValue) {
        guard let user = json["user_id"]?.snowflake ?? json["member"]?["user"]?["id"]?.snowflake else { return nil }
        self.init(
            userID: user, channelID: json["channel_id"]?.snowflake, sessionID: json["session_id"]?.string ?? "",
            isBot: json["member"]?["user"]?["bot"]?.bool ?? false,
            roles: json["member"]?["roles"]?.array.map { $0.compactMap(\.snowflake) },
            suppress: json["suppress"]?.bool ?? false)
    }
}

/// A guild channel: id, name, type, and what decides who may join it.
public struct GuildChannel: Sendable, Hashable {
    /// The channel id.
    public var id: Snowflake
    /// The channel name.
    public var name: String
    /// Discord's channel type number (2 voice, 13 stage).
    public var type: Int64
    /// The channel's permission overwrites.
    public var overwrites: [PermissionOverwrite]
    /// The most users a voice channel holds, bots included; 0 means no limit.
    public var userLimit: Int
    /// The category the channel sits in.
    public var parentID: Snowflake?

    /// A channel with the given fields.
    public init(
        id: Snowflake, name: String, type: Int64, overwrites: [PermissionOverwrite] = [], userLimit: Int = 0,
        parentID: Snowflake? = nil
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.overwrites = overwrites
        self.userLimit = userLimit
        self.parentID = parentID
    }

    /// Parses a channel object; nil without an id.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.snowflake else { return nil }
        self.init(
            id: id, name: json["name"]?.string ?? "", type: json["type"]?.int ?? -1,
            overwrites: (json["permission_overwrites"]?.array ?? []).compactMap(PermissionOverwrite.init(json:)),
            userLimit: Int(json["user_limit"]?.int ?? 0), parentID: json["parent_id"]?.snowflake)
    }

    /// Whether members can join it for voice (GUILD_VOICE or GUILD_STAGE_VOICE).
    public var isVoice: Bool { type == 2 || type == 13 }

    /// Whether it is a stage (GUILD_STAGE_VOICE), where a bot joins as a suppressed listener
    /// and speaks only once it un-suppresses itself, which takes Mute Members.
    public var isStage: Bool { type == 13 }
}

/// What the bot knows of a guild: channels, who is in voice, which members are bots, and the
/// roles and owner that decide permissions.
public struct Guild: Sendable, Hashable {
    /// The guild id (also the id of its @everyone role).
    public var id: Snowflake
    /// The guild name.
    public var name: String
    /// Channels by id.
    public var channels: [Snowflake: GuildChannel]
    /// Current voice states by user id.
    public var voiceStates: [Snowflake: VoiceState]
    /// Users known to be bots.
    public var bots: Set<Snowflake>
    /// The owner, who holds every permission.
    public var ownerID: Snowflake?
    /// Each role's guild-wide permissions by role id.
    public var roles: [Snowflake: Permissions]
    /// Role ids of the members seen (the bot itself, and members in voice states).
    public var memberRoles: [Snowflake: [Snowflake]]

    /// A guild with the given contents.
    public init(
        id: Snowflake, name: String, channels: [Snowflake: GuildChannel] = [:],
        voiceStates: [Snowflake: VoiceState] = [:], bots: Set<Snowflake> = [], ownerID: Snowflake? = nil,
        roles: [Snowflake: Permissions] = [:], memberRoles: [Snowflake: [Snowflake]] = [:]
    ) {
        self.id = id
        self.name = name
        self.channels = channels
        self.voiceStates = voiceStates
        self.bots = bots
        self.ownerID = ownerID
        self.roles = roles
        self.memberRoles = memberRoles
    }

    /// Parses a GUILD_CREATE payload; nil without an id.
    public init?(guildCreate json: JSONValue) {
        guard let id = json["id"]?.snowflake else { return nil }
        self.init(id: id, name: json["name"]?.string ?? "")
        update(from: json)
        for channel in json["channels"]?.array ?? [] {
            if let channel = GuildChannel(json: channel) { channels[channel.id] = channel }
        }
        for member in json["members"]?.array ?? [] { applyMember(member) }
        for entry in json["voice_states"]?.array ?? [] {
            guard let state = VoiceState(json: entry), state.channelID != nil else { continue }
            apply(state)
        }
    }

    /// Takes the name, owner and roles from a guild object (GUILD_CREATE or GUILD_UPDATE).
    public mutating func update(from json: JSONValue) {
        if let name = json["name"]?.string { self.name = name }
        if let owner = json["owner_id"]?.snowflake { ownerID = owner }
        if let list = json["roles"]?.array {
            roles = [:]
            for role in list { applyRole(role) }
        }
    }

    /// Records a role object (GUILD_ROLE_CREATE or GUILD_ROLE_UPDATE).
    public mutating func applyRole(_ role: JSONValue) {
        guard let roleID = role["id"]?.snowflake else { return }
        roles[roleID] = Permissions(json: role["permissions"]) ?? []
    }

    /// Records a member object's roles and bot flag (GUILD_CREATE members, GUILD_MEMBER_UPDATE).
    public mutating func applyMember(_ member: JSONValue) {
        guard let user = member["user"]?["id"]?.snowflake else { return }
        if member["user"]?["bot"]?.bool == true { bots.insert(user) }
        if let list = member["roles"]?.array { memberRoles[user] = list.compactMap(\.snowflake) }
    }

    /// Records a VOICE_STATE_UPDATE: moves, joins, and leaves (channel nil).
    public mutating func apply(_ state: VoiceState) {
        if state.isBot { bots.insert(state.userID) }
        if let roles = state.roles { memberRoles[state.userID] = roles }
        if state.channelID == nil {
            voiceStates.removeValue(forKey: state.userID)
        } else {
            voiceStates[state.userID] = state
        }
    }

    /// The voice channel with the most users that are not bots (ties: lowest id), excluding
    /// `me`; stages are passed over, since nobody would hear the bot there. With `joinableOnly`
    /// (and `me` known), channels `me` may not join and speak in, or that are full, are passed over too.
    public func busiestVoiceChannel(excluding me: Snowflake?, joinableOnly: Bool = true) -> Snowflake? {
        var counts: [Snowflake: Int] = [:]
        for state in voiceStates.values where state.userID != me && !bots.contains(state.userID) {
            guard let channel = state.channelID, let kind = channels[channel], kind.isVoice, !kind.isStage else { continue }
            if joinableOnly, let me, joinProblem(for: me, in: channel) != nil { continue }
            counts[channel, default: 0] += 1
        }
        return counts.max { lhs, rhs in
            lhs.value != rhs.value ? lhs.value < rhs.value : lhs.key > rhs.key
        }?.key
    }
}
