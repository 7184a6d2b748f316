/// Opcodes of the main gateway (v10).
public enum GatewayOpcode: Sendable, Hashable {
    /// 0: an event (READY, GUILD_CREATE, VOICE_STATE_UPDATE, …).
    case dispatch
    /// 1: heartbeat, both directions.
    case heartbeat
    /// 2: client IDENTIFY.
    case identify
    /// 3: client presence update.
    case presenceUpdate
    /// 4: client join, move or leave voice.
    case voiceStateUpdate
    /// 6: client RESUME.
    case resume
    /// 7: server asks the client to reconnect and resume.
    case reconnect
    /// 8: client member request.
    case requestGuildMembers
    /// 9: server says the session is invalid (`d`: resumable).
    case invalidSession
    /// 10: server HELLO with the heartbeat interval.
    case hello
    /// 11: server heartbeat ACK.
    case heartbeatACK
    /// Any other opcode.
    case unknown(Int64)

    /// Maps the wire number to its case.
    public init(_ code: Int64) {
        switch code {
        case 0: self = .dispatch
        case 1: self = .heartbeat
        case 2: self = .identify
        case 3: self = .presenceUpdate
        case 4: self = .voiceStateUpdate
        case 6: self = .resume
        case 7: self = .reconnect
        case 8: self = .requestGuildMembers
        case 9: self = .invalidSession
        case 10: self = .hello
        case 11: self = .heartbeatACK
        default: self = .unknown(code)
        }
    }

    /// The wire number.
    public var code: Int64 {
        switch self {
        case .dispatch: 0
        case .heartbeat: 1
        case .identify: 2
        case .presenceUpdate: 3
        case .voiceStateUpdate: 4
        case .resume: 6
        case .reconnect: 7
        case .requestGuildMembers: 8
        case .invalidSession: 9
        case .hello: 10
        case .heartbeatACK: 11
        case .unknown(let code): code
        }
    }
}

/// One decoded gateway payload `{op, d, s, t}`.
public struct GatewayPayload: Sendable, Hashable {
    /// The opcode.
    public var opcode: GatewayOpcode
    /// The event data.
    public var data: JSONValue
    /// The dispatch sequence number, for dispatches.
    public var sequence: Int64?
    /// The dispatch event name, for dispatches.
    public var event: String?

    /// A payload with the given parts.
    public init(opcode: GatewayOpcode, data: JSONValue, sequence: Int64? = nil, event: String? = nil) {
        self.opcode = opcode
        self.data = data
        self.sequence = sequence
        self.event = event
    }

    /// Decodes gateway JSON text.
    public init(text: String) throws(DiscordVoiceError) {
        guard let json = try? JSONValue.parse(text), let op = json["op"]?.int else {
            throw .protocolViolation("a gateway message that is not a JSON payload with an op")
        }
        self.init(opcode: GatewayOpcode(op), data: json["d"] ?? .null, sequence: json["s"]?.int, event: json["t"]?.string)
    }

    /// The JSON sent by a client: `{"op": …, "d": …}`.
    public var json: JSONValue {
        ["op": .int(opcode.code), "d": data]
    }
}
