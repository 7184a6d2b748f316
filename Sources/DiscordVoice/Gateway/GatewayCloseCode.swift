/// Close codes of the main gateway, with what each means for the session.
public enum GatewayCloseCode: Sendable, Hashable {
    /// 4000: unknown error; reconnect.
    case unknownError
    /// 4001: the client sent an invalid opcode.
    case unknownOpcode
    /// 4002: the client sent an undecodable payload.
    case decodeError
    /// 4003: a payload before IDENTIFY.
    case notAuthenticated
    /// 4004: the bot token was rejected.
    case authenticationFailed
    /// 4005: the client identified twice.
    case alreadyAuthenticated
    /// 4007: RESUME carried a bad sequence; identify again.
    case invalidSequence
    /// 4008: too many payloads.
    case rateLimited
    /// 4009: the session timed out; identify again.
    case sessionTimedOut
    /// 4010: invalid shard.
    case invalidShard
    /// 4011: the bot must shard.
    case shardingRequired
    /// 4012: invalid gateway version.
    case invalidAPIVersion
    /// 4013: invalid intents.
    case invalidIntents
    /// 4014: intents the bot may not use.
    case disallowedIntents
    /// Any other code.
    case unknown(UInt16)

    /// Maps the wire number to its case.
    public init(_ code: UInt16) {
        switch code {
        case 4000: self = .unknownError
        case 4001: self = .unknownOpcode
        case 4002: self = .decodeError
        case 4003: self = .notAuthenticated
        case 4004: self = .authenticationFailed
        case 4005: self = .alreadyAuthenticated
        case 4007: self = .invalidSequence
        case 4008: self = .rateLimited
        case 4009: self = .sessionTimedOut
        case 4010: self = .invalidShard
        case 4011: self = .shardingRequired
        case 4012: self = .invalidAPIVersion
        case 4013: self = .invalidIntents
        case 4014: self = .disallowedIntents
        default: self = .unknown(code)
        }
    }

    /// The wire number.
    public var code: UInt16 {
        switch self {
        case .unknownError: 4000
        case .unknownOpcode: 4001
        case .decodeError: 4002
        case .notAuthenticated: 4003
        case .authenticationFailed: 4004
        case .alreadyAuthenticated: 4005
        case .invalidSequence: 4007
        case .rateLimited: 4008
        case .sessionTimedOut: 4009
        case .invalidShard: 4010
        case .shardingRequired: 4011
        case .invalidAPIVersion: 4012
        case .invalidIntents: 4013
        case .disallowedIntents: 4014
        case .unknown(let code): code
        }
    }

    /// Whether Discord allows reconnecting after this close (the table in the opcodes docs).
    public var allowsReconnect: Bool {
        switch self {
        case .authenticationFailed, .invalidShard, .shardingRequired, .invalidAPIVersion, .invalidIntents,
            .disallowedIntents:
            false
        default:
            true
        }
    }

    /// Whether the session can be resumed after this close, or must identify again.
    public var allowsResume: Bool {
        switch self {
        case .invalidSequence, .sessionTimedOut: false
        default: allowsReconnect
        }
    }

    /// A sentence a bot owner can act on.
    public func sentence(reason: String) -> String {
        switch self {
        case .authenticationFailed:
            return "Discord rejected the bot token (close code 4004); check the token from the Developer Portal."
        case .invalidIntents, .disallowedIntents:
            return "Discord refused the gateway intents (close code \(code)); the bot needs GUILDS and GUILD_VOICE_STATES."
        case .invalidShard:
            return "Discord refused the shard in IDENTIFY (close code 4010); with sharding, each shard id must be below the shard count."
        case .shardingRequired:
            return "Discord requires sharding for this bot (close code 4011); run it with more shards."
        case .invalidAPIVersion:
            return "Discord refused gateway API version 10 (close code 4012)."
        default:
            let detail = reason.isEmpty ? "no reason given" : reason
            return "The Discord gateway closed the connection with code \(code) (\(detail))."
        }
    }
}
