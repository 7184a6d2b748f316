extension FakeDiscord {
    /// A Discord user as the fake reports it in READY, GUILD_CREATE members and voice states.
    public struct User: Sendable, Hashable {
        /// Snowflake id.
        public var id: String
        /// Display name.
        public var username: String
        /// Whether the account is a bot (auto-pick counts only users where this is false).
        public var bot: Bool

        /// Creates a user.
        public init(id: String, username: String, bot: Bool = false) {
            self.id = id
            self.username = username
            self.bot = bot
        }
    }

    /// A guild channel.
    public struct Channel: Sendable, Hashable {
        /// Discord channel types the fake knows.
        public enum Kind: Int, Sendable, Hashable {
            /// GUILD_TEXT.
            case text = 0
            /// GUILD_VOICE.
            case voice = 2
            /// GUILD_STAGE_VOICE.
            case stageVoice = 13
        }

        /// Snowflake id.
        public var id: String
        /// Channel name.
        public var name: String
        /// Channel type.
        public var kind: Kind
        /// Permission overwrites, as sent in `permission_overwrites`.
        public var overwrites: [Overwrite]
        /// The voice channel's user limit (0: none).
        public var userLimit: Int
        /// The category it sits in.
        public var parentID: String?

        /// Creates a channel.
        public init(
            id: String, name: String, kind: Kind, overwrites: [Overwrite] = [], userLimit: Int = 0,
            parentID: String? = nil
        ) {
            self.id = id
            self.name = name
            self.kind = kind
            self.overwrites = overwrites
            self.userLimit = userLimit
            self.parentID = parentID
        }
    }

    /// A channel permission overwrite for a role (the guild id is @everyone) or a member.
    public struct Overwrite: Sendable, Hashable {
        /// The role or user id.
        public var id: String
        /// True for a member overwrite (type 1), false for a role (type 0).
        public var member: Bool
        /// Bits allowed.
        public var allow: UInt64
        /// Bits denied.
        public var deny: UInt64

        /// Creates an overwrite.
        public init(id: String, member: Bool = false, allow: UInt64 = 0, deny: UInt64 = 0) {
            self.id = id
            self.member = member
            self.allow = allow
            self.deny = deny
        }
    }

    /// A guild role with its guild-wide permission bits.
    public struct Role: Sendable, Hashable {
        /// Snowflake id; the guild's own id is @everyone.
        public var id: String
        /// Role name.
        public var name: String
        /// Permission bits.
        public var permissions: UInt64

        /// Creates a role.
        public init(id: String, name: String, permissions: UInt64) {
            self.id = id
            self.name = name
            self.permissions = permissions
        }
    }

    /// Permission bits the fake's samples use.
    public enum Permission {
        /// ADMINISTRATOR.
        public static let administrator: UInt64 = 1 << 3
        /// VIEW_CHANNEL.
        public static let viewChannel: UInt64 = 1 << 10
        /// SEND_MESSAGES.
        public static let sendMessages: UInt64 = 1 << 11
        /// CONNECT.
        public static let connect: UInt64 = 1 << 20
        /// SPEAK.
        public static let speak: UInt64 = 1 << 21
        /// MUTE_MEMBERS: on a stage, also what un-suppressing oneself takes.
        public static let muteMembers: UInt64 = 1 << 22
        /// MOVE_MEMBERS.
        public static let moveMembers: UInt64 = 1 << 24
        /// What @everyone holds in the sample guild: view, send, connect, speak.
        public static let everyoneDefault = viewChannel | sendMessages | connect | speak
    }

    /// A user sitting in a voice channel when the bot connects; one for the bot itself is a
    /// voice state left over from a crash: joining that channel again brings no VOICE_SERVER_UPDATE.
    public struct VoiceState: Sendable, Hashable {
        /// The user in the channel (must also be a guild member).
        public var userID: String
        /// The voice channel the user is in.
        public var channelID: String
        /// That user's voice session id.
        public var sessionID: String
        /// Whether the user may not speak: on a stage, an audience member.
        public var suppress: Bool

        /// Creates a voice state.
        public init(userID: String, channelID: String, sessionID: String, suppress: Bool = false) {
            self.userID = userID
            self.channelID = channelID
            self.sessionID = sessionID
            self.suppress = suppress
        }
    }

    /// A guild the bot is in: sent as GUILD_CREATE after READY.
    public struct Guild: Sendable, Hashable {
        /// Snowflake id.
        public var id: String
        /// Guild name.
        public var name: String
        /// Text and voice channels.
        public var channels: [Channel]
        /// Members; GUILD_CREATE lists only the bot and those in voice channels, as without GUILD_MEMBERS.
        public var members: [User]
        /// Who sits in which voice channel (sent only when the client asked for GUILD_VOICE_STATES).
        public var voiceStates: [VoiceState]
        /// Roles; the default is @everyone (the guild id) with ``Permission/everyoneDefault``.
        public var roles: [Role]
        /// Role ids of members by user id, the bot included.
        public var memberRoles: [String: [String]]
        /// The owner; nil makes the first human member the owner.
        public var ownerID: String?

        /// Creates a guild.
        public init(
            id: String, name: String, channels: [Channel], members: [User], voiceStates: [VoiceState],
            roles: [Role]? = nil, memberRoles: [String: [String]] = [:], ownerID: String? = nil
        ) {
            self.id = id
            self.name = name
            self.channels = channels
            self.members = members
            self.voiceStates = voiceStates
            self.roles = roles ?? [Role(id: id, name: "@everyone", permissions: Permission.everyoneDefault)]
            self.memberRoles = memberRoles
            self.ownerID = ownerID
        }
    }

    /// An option of the slash command an interaction carries.
    public struct CommandOption: Sendable, Hashable {
        /// An option value and its application command option type.
        public enum Value: Sendable, Hashable {
            /// STRING (3).
            case string(String)
            /// INTEGER (4).
            case integer(Int64)
            /// BOOLEAN (5).
            case boolean(Bool)
            /// NUMBER (10).
            case number(Double)
        }

        /// Option name.
        public var name: String
        /// Option value.
        public var value: Value

        /// Creates an option.
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// What ``FakeDiscord/sendInteraction(guildID:channelID:userID:command:options:)`` dispatched.
    public struct SentInteraction: Sendable, Hashable {
        /// The interaction id.
        public var id: String
        /// The interaction token responses must carry.
        public var token: String
        /// The application id (the fake uses the bot's user id).
        public var applicationID: String
    }

    /// How the main gateway answers an op 4 join.
    public enum JoinResponse: Sendable, Hashable {
        /// VOICE_STATE_UPDATE, then VOICE_SERVER_UPDATE (the usual order).
        case stateThenServer
        /// VOICE_SERVER_UPDATE first: the order that makes some clients hang.
        case serverThenState
        /// Nothing at all, as when the bot lacks Connect permission or the channel is full.
        case silence
    }

    /// How the UDP server treats IP discovery requests.
    public struct IPDiscovery: Sendable, Hashable {
        /// Requests to ignore before answering (`Int.max` loses every one).
        public var dropFirst: Int
        /// Delay before each answer.
        public var delay: Duration
        /// Answer on the UDP loop the moment the request is read, as fast as the fake can (ignores
        /// `dropFirst` and `delay`): a client must listen before it sends the request.
        public var immediate: Bool

        /// Creates an IP discovery behaviour; the default answers at once.
        public init(dropFirst: Int = 0, delay: Duration = .zero, immediate: Bool = false) {
            self.dropFirst = dropFirst
            self.delay = delay
            self.immediate = immediate
        }
    }

    /// How much of each RTP packet the UDP server opens.
    public enum PacketCheck: Sendable, Hashable {
        /// Decrypt and record every packet (what tests assert on).
        case everyPacket
        /// Count every packet's arrival per SSRC (``Recorder/arrivals``), but decrypt and record
        /// only one in `every` of each stream, so the fake keeps up with hundreds of streams; packet
        /// triggers then count only the decrypted ones.
        case spotCheck(every: Int)
    }

    /// A moment at which a scripted fault fires (each fault fires once).
    public enum Trigger: Sendable, Hashable {
        /// Right after READY and GUILD_CREATE were sent for a fresh IDENTIFY.
        case afterReady
        /// When an op 4 join arrives, before the fake answers it.
        case onVoiceJoin
        /// When an op 4 leave (channel_id null) arrives, before the fake answers it.
        case onVoiceLeave
        /// Right after SESSION_DESCRIPTION was sent.
        case afterSessionDescription
        /// When the first SPEAKING with a non-zero flag arrives.
        case onSpeaking
        /// When the Nth RTP packet (1-based, counted over the whole run) arrives.
        case afterPackets(Int)
        /// This long after the first RTP packet arrived.
        case afterFirstPacket(Duration)
    }

    /// Which of Discord's two signals of a voice move goes out first. The main gateway's
    /// VOICE_STATE_UPDATE / VOICE_SERVER_UPDATE and the 4014 close of the old voice socket travel
    /// on two sockets, so a client may see them in either order; the second follows 50 ms later.
    public enum MoveOrder: Sendable, Hashable {
        /// The main gateway events, then the close.
        case gatewayFirst
        /// The close, then the main gateway events.
        case closeFirst
    }

    /// A fault the fake injects at a trigger, or on demand through `FakeDiscord.inject(_:)`.
    public enum Fault: Sendable, Hashable {
        /// Main gateway sends RECONNECT (op 7); later dispatches wait for a RESUME.
        case gatewayReconnect
        /// Main gateway sends INVALID_SESSION (op 9); when not resumable the session is forgotten.
        case gatewayInvalidSession(resumable: Bool)
        /// Main gateway closes with this code and reason.
        case gatewayClose(code: UInt16, reason: String)
        /// Main gateway stops ACKing heartbeats on the current connection.
        case gatewayZombie
        /// Voice socket is cut without a close frame (a TCP drop).
        case voiceDrop
        /// Voice gateway closes with this code and reason (4006, 4014, 4021, 4022 also end the voice session).
        case voiceClose(code: UInt16, reason: String)
        /// Voice gateway stops ACKing heartbeats on the current connection.
        case voiceZombie
        /// Discord replaces the voice server: VOICE_SERVER_UPDATE naming the other voice endpoint with
        /// a new token, and the old voice socket closes with 4014; the new session gets the next SSRC.
        case voiceServerMove(MoveOrder)
        /// A moderator moves the bot to `channel`: VOICE_STATE_UPDATE naming it and VOICE_SERVER_UPDATE
        /// (same endpoint, new token), and the old voice socket closes with 4014.
        case voiceChannelMove(channel: String, MoveOrder)
        /// A moderator disconnects the bot: VOICE_STATE_UPDATE with no channel, and the voice socket closes with 4014.
        case voiceDisconnect(MoveOrder)
    }

    /// A fault scripted to fire at a trigger.
    public struct ScriptedFault: Sendable, Hashable {
        /// When it fires.
        public var trigger: Trigger
        /// What happens.
        public var fault: Fault

        /// Creates a scripted fault.
        public init(_ fault: Fault, at trigger: Trigger) {
            self.trigger = trigger
            self.fault = fault
        }
    }

    /// Everything a test can set about the fake Discord.
    public struct Options: Sendable {
        /// The bot token IDENTIFY must carry (compared exactly; a `Bot ` prefix is not stripped).
        public var token: String
        /// The bot's own user.
        public var botUser: User
        /// Guilds the bot is in; any other guild id gets no GUILD_CREATE and no answer to op 4.
        public var guilds: [Guild]
        /// Main gateway heartbeat interval sent in HELLO.
        public var heartbeatInterval: Duration
        /// Voice gateway heartbeat interval sent in HELLO.
        public var voiceHeartbeatInterval: Duration
        /// Encryption modes offered in voice READY, in order.
        public var modes: [String]
        /// How op 4 joins are answered.
        public var joinResponse: JoinResponse
        /// IP discovery behaviour.
        public var ipDiscovery: IPDiscovery
        /// The voice gateway sends HELLO only after the READY that answers IDENTIFY (a client must
        /// identify as soon as the socket opens and accept either order).
        public var voiceReadyBeforeHello: Bool
        /// SSRC assigned in voice READY.
        public var ssrc: UInt32
        /// Faults that fire at their triggers.
        public var faults: [ScriptedFault]
        /// How the HTTP API behaves (buckets, session start limit, command scope, recommended shards).
        public var rest: RESTOptions
        /// READY for a fresh IDENTIFY waits until ``FakeDiscord/releaseReady()``; IDENTIFY is
        /// still recorded as it arrives.
        public var holdsReady: Bool
        /// The least shard count IDENTIFY must carry (no `shard` counts as one); fewer closes
        /// the connection with 4011 Sharding required. Nil requires none.
        public var requiredShards: Int?
        /// Which RTP packets the UDP server decrypts and records.
        public var packetCheck: PacketCheck

        /// Creates options; the defaults are the sample guild with the AES-GCM and XChaCha modes.
        public init(
            token: String = Sample.token,
            botUser: User = Sample.bot,
            guilds: [Guild] = [Sample.guild()],
            heartbeatInterval: Duration = .milliseconds(1000),
            voiceHeartbeatInterval: Duration = .milliseconds(1000),
            modes: [String] = [Mode.aes256GCM, Mode.xChaCha20Poly1305],
            joinResponse: JoinResponse = .stateThenServer,
            ipDiscovery: IPDiscovery = IPDiscovery(),
            voiceReadyBeforeHello: Bool = false,
            ssrc: UInt32 = 0x0001_E240,
            faults: [ScriptedFault] = [],
            rest: RESTOptions = RESTOptions(),
            holdsReady: Bool = false,
            requiredShards: Int? = nil,
            packetCheck: PacketCheck = .everyPacket
        ) {
            self.requiredShards = requiredShards
            self.token = token
            self.botUser = botUser
            self.guilds = guilds
            self.heartbeatInterval = heartbeatInterval
            self.voiceHeartbeatInterval = voiceHeartbeatInterval
            self.modes = modes
            self.joinResponse = joinResponse
            self.ipDiscovery = ipDiscovery
            self.voiceReadyBeforeHello = voiceReadyBeforeHello
            self.ssrc = ssrc
            self.faults = faults
            self.rest = rest
            self.holdsReady = holdsReady
            self.packetCheck = packetCheck
        }
    }

    /// Transport encryption mode names as they appear on the wire.
    public enum Mode {
        /// AEAD AES-256-GCM, RTP-size variant.
        public static let aes256GCM = "aead_aes256_gcm_rtpsize"
        /// AEAD XChaCha20-Poly1305, RTP-size variant.
        public static let xChaCha20Poly1305 = "aead_xchacha20_poly1305_rtpsize"
    }

    /// A ready-made world: one guild with a text channel and voice channels holding
    /// one human, two humans, only bots, and nobody.
    public enum Sample {
        /// The token the default options expect.
        public static let token = "fake-bot-token.MTAw.secret"
        /// The bot user.
        public static let bot = User(id: "100000000000000001", username: "scream-bot", bot: true)
        /// Guild id.
        public static let guildID = "200000000000000001"
        /// Text channel id.
        public static let textChannelID = "300000000000000001"
        /// Voice channel with one human.
        public static let lobbyChannelID = "300000000000000002"
        /// Voice channel with two humans: the one auto-pick must choose.
        public static let partyChannelID = "300000000000000003"
        /// Voice channel with three other bots and no human.
        public static let botsChannelID = "300000000000000004"
        /// Voice channel with nobody in it.
        public static let emptyChannelID = "300000000000000005"
        /// The first human: sits in the lobby in the populated sample guild.
        public static let humanID = "400000000000000001"

        /// The sample guild; with `populated: false` nobody sits in any voice channel
        /// except other bots.
        public static func guild(populated: Bool = true) -> Guild {
            let humans = (1...3).map { User(id: "40000000000000000\($0)", username: "human\($0)") }
            let bots = (1...3).map { User(id: "50000000000000000\($0)", username: "otherbot\($0)", bot: true) }
            var states = bots.map { VoiceState(userID: $0.id, channelID: botsChannelID, sessionID: "vs-\($0.id)") }
            if populated {
                states.append(VoiceState(userID: humans[0].id, channelID: lobbyChannelID, sessionID: "vs-h1"))
                states.append(VoiceState(userID: humans[1].id, channelID: partyChannelID, sessionID: "vs-h2"))
                states.append(VoiceState(userID: humans[2].id, channelID: partyChannelID, sessionID: "vs-h3"))
            }
            return Guild(
                id: guildID, name: "Fake Guild",
                channels: [
                    Channel(id: textChannelID, name: "general", kind: .text),
                    Channel(id: lobbyChannelID, name: "Lobby", kind: .voice),
                    Channel(id: partyChannelID, name: "Party", kind: .voice),
                    Channel(id: botsChannelID, name: "Bots", kind: .voice),
                    Channel(id: emptyChannelID, name: "Empty", kind: .voice),
                ],
                members: humans + bots,
                voiceStates: states)
        }
    }
}
