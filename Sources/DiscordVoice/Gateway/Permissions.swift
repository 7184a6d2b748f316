/// Discord permission bits (API v10 sends them as decimal strings).
public struct Permissions: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The bit field.
    public let rawValue: UInt64

    /// Wraps a bit field.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// ADMINISTRATOR: every permission, bypassing channel overwrites.
    public static let administrator = Permissions(rawValue: 1 << 3)
    /// VIEW_CHANNEL: seeing a channel, which a voice channel needs before anything else.
    public static let viewChannel = Permissions(rawValue: 1 << 10)
    /// CONNECT: joining a voice channel.
    public static let connect = Permissions(rawValue: 1 << 20)
    /// SPEAK: being heard in a voice channel.
    public static let speak = Permissions(rawValue: 1 << 21)
    /// MUTE_MEMBERS: muting others in a voice channel.
    public static let muteMembers = Permissions(rawValue: 1 << 22)
    /// DEAFEN_MEMBERS: deafening others in a voice channel.
    public static let deafenMembers = Permissions(rawValue: 1 << 23)
    /// MOVE_MEMBERS: moving others, and joining a voice channel at its user limit.
    public static let moveMembers = Permissions(rawValue: 1 << 24)
    /// Every bit: what the owner and administrators have.
    public static let all = Permissions(rawValue: .max)

    /// What the bot needs in a voice channel to be heard there.
    public static let voicePlayback: Permissions = [.viewChannel, .connect, .speak]
    /// What the bot needs to join a stage; Speak does not apply there, and being heard takes
    /// Mute Members as well (see ``Guild/maySpeak(onStage:as:)``).
    public static let stageJoin: Permissions = [.viewChannel, .connect]

    /// The voice-related permissions with the names Discord's client shows, in bit order.
    public static let named: [(permission: Permissions, name: String)] = [
        (.administrator, "Administrator"), (.viewChannel, "View Channel"), (.connect, "Connect"),
        (.speak, "Speak"), (.muteMembers, "Mute Members"), (.deafenMembers, "Deafen Members"),
        (.moveMembers, "Move Members"),
    ]

    /// Parses the decimal string form (or a plain number); nil for anything else.
    public init?(json: JSONValue?) {
        switch json {
        case .string(let text)?:
            guard let bits = UInt64(text) else { return nil }
            self.init(rawValue: bits)
        case .int(let bits)? where bits >= 0:
            self.init(rawValue: UInt64(bits))
        default:
            return nil
        }
    }

    /// The names of the named permissions this holds, in bit order.
    public var names: [String] {
        Self.named.filter { contains($0.permission) }.map(\.name)
    }

    /// The names joined for a sentence: "View Channel, Connect and Speak".
    public var description: String {
        let names = self.names
        guard names.count > 1 else { return names.first ?? "no named permission" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}

/// A channel's permission overwrite for one role or one member.
public struct PermissionOverwrite: Sendable, Hashable {
    /// What the overwrite applies to.
    public enum Target: Int64, Sendable, Hashable {
        /// A role (type 0); the @everyone role's id is the guild id.
        case role = 0
        /// A single member (type 1).
        case member = 1
    }

    /// The role or user id.
    public var id: Snowflake
    /// Whether `id` is a role or a member.
    public var target: Target
    /// Bits granted.
    public var allow: Permissions
    /// Bits taken away.
    public var deny: Permissions

    /// An overwrite with the given fields.
    public init(id: Snowflake, target: Target, allow: Permissions = [], deny: Permissions = []) {
        self.id = id
        self.target = target
        self.allow = allow
        self.deny = deny
    }

    /// Parses one `permission_overwrites` entry; nil without an id or a known type.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.snowflake, let target = json["type"]?.int.flatMap(Target.init(rawValue:)) else {
            return nil
        }
        self.init(
            id: id, target: target, allow: Permissions(json: json["allow"]) ?? [],
            deny: Permissions(json: json["deny"]) ?? [])
    }
}

/// Why the bot cannot be heard in a voice channel.
public enum JoinProblem: Sendable, Hashable {
    /// These of View Channel, Connect and Speak are missing.
    case missing(Permissions)
    /// The channel is at its user limit and the bot lacks Move Members.
    case full(limit: Int)
}

/// Discord's permission computation over what the guild's events said.
extension Guild {
    /// A member's permissions in a channel, per Discord's algorithm: the owner and administrators
    /// have all; otherwise @everyone and the member's roles, then the channel's @everyone, role and
    /// member overwrites. Without View Channel a member has no permission in the channel at all.
    public func permissions(of userID: Snowflake, roles memberRoles: [Snowflake], in channelID: Snowflake)
        -> Permissions
    {
        if userID == ownerID { return .all }
        var base = roles[id] ?? []
        for role in memberRoles { base.formUnion(roles[role] ?? []) }
        if base.contains(.administrator) { return .all }
        var result = base
        let overwrites = channels[channelID]?.overwrites ?? []
        if let everyone = overwrites.first(where: { $0.target == .role && $0.id == id }) {
            result.subtract(everyone.deny)
            result.formUnion(everyone.allow)
        }
        var allow: Permissions = []
        var deny: Permissions = []
        for overwrite in overwrites where overwrite.target == .role && memberRoles.contains(overwrite.id) {
            allow.formUnion(overwrite.allow)
            deny.formUnion(overwrite.deny)
        }
        result.subtract(deny)
        result.formUnion(allow)
        if let member = overwrites.first(where: { $0.target == .member && $0.id == userID }) {
            result.subtract(member.deny)
            result.formUnion(member.allow)
        }
        return result.contains(.viewChannel) ? result : []
    }

    /// A known member's permissions in a channel, with the roles the guild's events reported.
    public func permissions(of userID: Snowflake, in channelID: Snowflake) -> Permissions {
        permissions(of: userID, roles: memberRoles[userID] ?? [], in: channelID)
    }

    /// Everyone in the voice channel, bots included (the user limit counts them).
    public func occupants(of channelID: Snowflake) -> Int {
        voiceStates.values.count(where: { $0.channelID == channelID })
    }

    /// Whether the channel is at its user limit for someone holding `permissions`; Move Members
    /// lets a member in anyway, and a limit of 0 means none.
    public func isFull(_ channelID: Snowflake, for permissions: Permissions) -> Bool {
        guard let limit = channels[channelID]?.userLimit, limit > 0 else { return false }
        return occupants(of: channelID) >= limit && !permissions.contains(.moveMembers)
    }

    /// What keeps `userID` from joining and speaking in the channel, or nil when nothing does.
    /// Someone already in the channel does not count against the limit; on a stage, speaking
    /// is a matter of ``maySpeak(onStage:as:)``.
    public func joinProblem(for userID: Snowflake, in channelID: Snowflake) -> JoinProblem? {
        let granted = permissions(of: userID, in: channelID)
        let needed = channels[channelID]?.isStage == true ? Permissions.stageJoin : Permissions.voicePlayback
        let missing = needed.subtracting(granted)
        if !missing.isEmpty { return .missing(missing) }
        if voiceStates[userID]?.channelID != channelID, isFull(channelID, for: granted) {
            return .full(limit: channels[channelID]?.userLimit ?? 0)
        }
        return nil
    }

    /// Whether `userID` may make itself a speaker on stage `channelID`: un-suppressing oneself
    /// takes Mute Members in the channel.
    public func maySpeak(onStage channelID: Snowflake, as userID: Snowflake) -> Bool {
        permissions(of: userID, in: channelID).contains(.muteMembers)
    }
}
