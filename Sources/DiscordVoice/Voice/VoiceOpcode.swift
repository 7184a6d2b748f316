/// Opcodes of the voice gateway (v8), including DAVE's 21–31.
public enum VoiceOpcode: Sendable, Hashable {
    /// 0: client IDENTIFY.
    case identify
    /// 1: client SELECT_PROTOCOL.
    case selectProtocol
    /// 2: server READY (ssrc, ip, port, modes).
    case ready
    /// 3: client heartbeat `{t, seq_ack}`.
    case heartbeat
    /// 4: server SESSION_DESCRIPTION (mode, secret_key).
    case sessionDescription
    /// 5: SPEAKING, both directions.
    case speaking
    /// 6: server heartbeat ACK.
    case heartbeatACK
    /// 7: client RESUME.
    case resume
    /// 8: server HELLO with the heartbeat interval.
    case hello
    /// 9: server RESUMED.
    case resumed
    /// 11: users joined the call.
    case clientsConnect
    /// 13: a user left the call.
    case clientDisconnect
    /// A DAVE opcode (21–31), handed to the DAVE seam untouched.
    case dave(UInt8)
    /// Any other opcode.
    case unknown(Int64)

    /// Maps the wire number to its case.
    public init(_ code: Int64) {
        switch code {
        case 0: self = .identify
        case 1: self = .selectProtocol
        case 2: self = .ready
        case 3: self = .heartbeat
        case 4: self = .sessionDescription
        case 5: self = .speaking
        case 6: self = .heartbeatACK
        case 7: self = .resume
        case 8: self = .hello
        case 9: self = .resumed
        case 11: self = .clientsConnect
        case 13: self = .clientDisconnect
        case 21...31: self = .dave(UInt8(code))
        default: self = .unknown(code)
        }
    }

    /// The wire number.
    public var code: Int64 {
        switch self {
        case .identify: 0
        case .selectProtocol: 1
        case .ready: 2
        case .heartbeat: 3
        case .sessionDescription: 4
        case .speaking: 5
        case .heartbeatACK: 6
        case .resume: 7
        case .hello: 8
        case .resumed: 9
        case .clientsConnect: 11
        case .clientDisconnect: 13
        case .dave(let code): Int64(code)
        case .unknown(let code): code
        }
    }
}

/// One message from the voice gateway, JSON or binary.
public struct VoiceMessage: Sendable, Hashable {
    /// What a message carries.
    public enum Body: Sendable, Hashable {
        /// The `d` object of a JSON message.
        case json(JSONValue)
        /// The payload after the opcode of a binary message.
        case binary([UInt8])
    }

    /// The opcode.
    public var opcode: VoiceOpcode
    /// The server's sequence number, when the message has one.
    public var sequence: Int64?
    /// The `d` object of JSON messages, or the bytes after the opcode of binary ones.
    public var body: Body

    /// A message with the given parts.
    public init(opcode: VoiceOpcode, sequence: Int64?, body: Body) {
        self.opcode = opcode
        self.sequence = sequence
        self.body = body
    }

    /// Decodes a JSON text message `{op, d, seq?}`.
    public init(text: String) throws(DiscordVoiceError) {
        guard let json = try? JSONValue.parse(text), let op = json["op"]?.int else {
            throw .protocolViolation("a voice message that is not a JSON payload with an op")
        }
        self.init(opcode: VoiceOpcode(op), sequence: json["seq"]?.int, body: .json(json["d"] ?? .null))
    }

    /// Decodes a server binary message `[seq u16 BE][opcode u8][payload]`.
    public init(serverBinary bytes: [UInt8]) throws(DiscordVoiceError) {
        guard bytes.count >= 3 else {
            throw .protocolViolation("a binary voice message of \(bytes.count) bytes, shorter than its 3-byte header")
        }
        let sequence = Int64(UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
        self.init(opcode: VoiceOpcode(Int64(bytes[2])), sequence: sequence, body: .binary(Array(bytes[3...])))
    }

    /// Encodes a client binary message: `[opcode u8][payload]`.
    public static func clientBinary(opcode: UInt8, payload: [UInt8]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(payload.count + 1)
        bytes.append(opcode)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// The JSON data, or `null` for binary messages.
    public var data: JSONValue {
        guard case .json(let data) = body else { return .null }
        return data
    }
}

/// UDP IP discovery packets (74 bytes: type, length 70, SSRC, 64-byte address, port).
public enum IPDiscovery {
    /// Size of request and response.
    public static let packetSize = 74

    /// The request: type 1, length 70, the SSRC, then zeros.
    public static func request(ssrc: UInt32) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: packetSize)
        packet[0] = 0x00
        packet[1] = 0x01
        packet[2] = 0x00
        packet[3] = 70
        packet[4] = UInt8(truncatingIfNeeded: ssrc >> 24)
        packet[5] = UInt8(truncatingIfNeeded: ssrc >> 16)
        packet[6] = UInt8(truncatingIfNeeded: ssrc >> 8)
        packet[7] = UInt8(truncatingIfNeeded: ssrc)
        return packet
    }

    /// Parses a response (type 2): the NUL-terminated address and the big-endian port in the last 2 bytes.
    public static func parseResponse(_ packet: [UInt8]) -> (address: String, port: Int)? {
        guard packet.count == packetSize, packet[0] == 0x00, packet[1] == 0x02 else { return nil }
        let field = packet[8..<72]
        let end = field.firstIndex(of: 0) ?? field.endIndex
        guard end > field.startIndex else { return nil }
        let address = String(decoding: field[field.startIndex..<end], as: UTF8.self)
        return (address, Int(packet[72]) << 8 | Int(packet[73]))
    }
}
