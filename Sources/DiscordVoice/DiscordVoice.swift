import Logging

/// Discord gateway v10, voice gateway v8 and the UDP/RTP voice transport.
///
/// One ``GatewayClient`` per process holds the bot's gateway session; each
/// ``GatewayClient/joinVoice(guild:channel:allowingStage:)`` returns a ready ``VoiceConnection``:
///
/// ```swift
/// let gateway = try GatewayClient(configuration: .init(token: token, gatewayURL: url, caFile: caFile))
/// try await gateway.connect()
/// let channel = try await gateway.busiestVoiceChannel(in: guild)
/// let voice = try await gateway.joinVoice(guild: guild, channel: channel)
/// let report = try await voice.play(opusPackets)   // silence, SPEAKING 0 and leave included
/// await gateway.disconnect()
/// ```
///
/// A long-running bot reads ``GatewayClient/events`` (interactions, guild outages and removals,
/// resumes, replaced sessions), decides with ``Guild/permissions(of:in:)`` and
/// ``Guild/voiceStates``, and keeps a connection between screams with `play(_:leaving: false)`.
///
/// Every failure is a ``DiscordVoiceError`` whose `description` is one sentence for the user.
public enum DiscordVoice {
    /// Discord's public gateway.
    public static let defaultGatewayURL = "wss://gateway.discord.gg/?v=10&encoding=json"

    /// How to reach Discord and how patient to be.
    public struct Configuration: Sendable {
        /// The bot token; sent only in IDENTIFY/RESUME and never logged.
        public var token: String
        /// The main gateway URL (`SCREAM_GATEWAY_URL` at the CLI).
        public var gatewayURL: String
        /// A PEM file of extra trusted CAs added to the system roots (`SCREAM_CA_FILE`).
        public var caFile: String?
        /// Limit for each connect-phase wait: gateway READY, guild data, voice join, voice handshake.
        public var timeout: Duration
        /// The DAVE protocol version announced in voice IDENTIFY; 0 turns end-to-end encryption off.
        public var maxDAVEProtocolVersion: Int
        /// Where milestones (info) and redacted payloads (debug) go.
        public var logger: Logger
        /// The shard this session is, sent in IDENTIFY; nil for an unsharded session.
        public var shard: GatewayShard?
        /// The IDENTIFY turns this session shares with the process's other shards; nil gives
        /// the client a queue of its own.
        public var identifyQueue: IdentifyQueue?

        /// A configuration with Discord's gateway and a 15 s connect timeout unless told otherwise.
        public init(
            token: String, gatewayURL: String = DiscordVoice.defaultGatewayURL, caFile: String? = nil,
            timeout: Duration = .seconds(15), maxDAVEProtocolVersion: Int = 1,
            logger: Logger = Logger(label: "scream.discord"), shard: GatewayShard? = nil,
            identifyQueue: IdentifyQueue? = nil
        ) {
            self.token = token
            self.gatewayURL = gatewayURL
            self.caFile = caFile
            self.timeout = timeout
            self.maxDAVEProtocolVersion = maxDAVEProtocolVersion
            self.logger = logger
            self.shard = shard
            self.identifyQueue = identifyQueue
        }

        /// The timeout in seconds, for error sentences.
        var timeoutSeconds: Double {
            Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        }
    }
}
