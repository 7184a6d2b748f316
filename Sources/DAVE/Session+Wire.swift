import MLS

extension DAVE.Session {
    /// A voice gateway event that concerns DAVE.
    public enum Event: Sendable, Equatable {
        /// SESSION_DESCRIPTION (4) carried `dave_protocol_version`.
        case sessionDescription(protocolVersion: UInt16)
        /// clients_connect (11): these users joined the media session.
        case clientsConnect(userIDs: [UInt64])
        /// client_disconnect (13): this user left the media session.
        case clientDisconnect(userID: UInt64)
        /// dave_protocol_prepare_transition (21).
        case prepareTransition(transitionID: UInt16, protocolVersion: UInt16)
        /// dave_protocol_execute_transition (22).
        case executeTransition(transitionID: UInt16)
        /// dave_protocol_prepare_epoch (24).
        case prepareEpoch(epoch: UInt64, protocolVersion: UInt16)
        /// dave_mls_external_sender_package (25): a bare ExternalSender.
        case externalSender([UInt8])
        /// dave_mls_proposals (27): `[operation u8]` then proposal messages or references.
        case proposals([UInt8])
        /// dave_mls_announce_commit_transition (29): `[transition_id u16 BE]` then the commit MLSMessage.
        case announceCommit([UInt8])
        /// dave_mls_welcome (30): `[transition_id u16 BE]` then a bare Welcome.
        case welcome([UInt8])

        /// The event for a binary server message's opcode and payload (after the sequence number and opcode).
        public init(binaryOpcode opcode: UInt8, payload: [UInt8]) throws(DAVEError) {
            switch opcode {
            case Opcode.externalSender: self = .externalSender(payload)
            case Opcode.proposals: self = .proposals(payload)
            case Opcode.announceCommit: self = .announceCommit(payload)
            case Opcode.welcome: self = .welcome(payload)
            default: throw .unknownOpcode(opcode)
            }
        }
    }

    /// A message the client must send to the voice gateway.
    public enum Outbound: Sendable, Equatable {
        /// dave_mls_key_package (26): a bare KeyPackage.
        case keyPackage([UInt8])
        /// dave_mls_commit_welcome (28): the commit MLSMessage, then a bare Welcome when it adds members.
        case commitWelcome([UInt8])
        /// dave_protocol_ready_for_transition (23).
        case readyForTransition(transitionID: UInt16)
        /// dave_mls_invalid_commit_welcome (31).
        case invalidCommitWelcome(transitionID: UInt16)

        /// The voice gateway opcode.
        public var opcode: UInt8 {
            switch self {
            case .keyPackage: Opcode.keyPackage
            case .commitWelcome: Opcode.commitWelcome
            case .readyForTransition: Opcode.readyForTransition
            case .invalidCommitWelcome: Opcode.invalidCommitWelcome
            }
        }

        /// The whole binary client message `[opcode][payload]`, or nil for a JSON message.
        public var binaryMessage: [UInt8]? {
            switch self {
            case .keyPackage(let payload), .commitWelcome(let payload): [opcode] + payload
            case .readyForTransition, .invalidCommitWelcome: nil
            }
        }

        /// The whole JSON client message `{"op":N,"d":{"transition_id":T}}`, or nil for a binary message.
        public var jsonMessage: String? {
            switch self {
            case .readyForTransition(let id), .invalidCommitWelcome(let id): "{\"op\":\(opcode),\"d\":{\"transition_id\":\(id)}}"
            case .keyPackage, .commitWelcome: nil
            }
        }
    }

    /// How the bot's outgoing audio must be treated right now.
    public enum Media: Sendable {
        /// Send no audio: the bot is not yet in an executed group with another member.
        case hold
        /// Send Opus frames unchanged: the session uses transport encryption only (protocol version 0).
        case passthrough
        /// Encrypt every Opus frame with this encryptor, fresh for the executed epoch.
        case encrypt(DAVE.FrameEncryptor)

        /// Whether audio may be sent at all.
        public var allowsAudio: Bool {
            if case .hold = self { return false }
            return true
        }
    }

    /// What the voice client must do after an event, in order.
    public enum Action: Sendable {
        /// Send this message to the voice gateway.
        case send(Outbound)
        /// From now on treat outgoing audio this way (replacing any earlier encryptor).
        case media(Media)
    }

    /// DAVE voice gateway opcodes.
    public enum Opcode {
        /// dave_protocol_ready_for_transition (JSON, client to server).
        public static let readyForTransition: UInt8 = 23
        /// dave_mls_external_sender_package (binary, server to client).
        public static let externalSender: UInt8 = 25
        /// dave_mls_key_package (binary, client to server).
        public static let keyPackage: UInt8 = 26
        /// dave_mls_proposals (binary, server to client).
        public static let proposals: UInt8 = 27
        /// dave_mls_commit_welcome (binary, client to server).
        public static let commitWelcome: UInt8 = 28
        /// dave_mls_announce_commit_transition (binary, server to client).
        public static let announceCommit: UInt8 = 29
        /// dave_mls_welcome (binary, server to client).
        public static let welcome: UInt8 = 30
        /// dave_mls_invalid_commit_welcome (JSON, client to server).
        public static let invalidCommitWelcome: UInt8 = 31
    }

    /// Splits `[transition_id u16 BE][body]`.
    static func splitTransition(_ payload: [UInt8], opcode: UInt8) throws(DAVEError) -> (UInt16, [UInt8]) {
        guard payload.count > 2 else { throw .malformedMessage(opcode: opcode, reason: "it is shorter than a transition id and a message") }
        return (UInt16(payload[0]) << 8 | UInt16(payload[1]), Array(payload[2...]))
    }

    /// Decodes a whole TLS value, naming the opcode if it fails.
    static func decode<T: TLSCodable>(_ type: T.Type, from bytes: [UInt8], opcode: UInt8) throws(DAVEError) -> T {
        do {
            return try T(tlsBytes: bytes)
        } catch {
            throw .malformedMessage(opcode: opcode, reason: error.description)
        }
    }

    /// Decodes a whole TLS vector of values, naming the opcode if it fails.
    static func decodeVector<T: TLSCodable>(_ type: T.Type, from bytes: [UInt8], opcode: UInt8) throws(DAVEError) -> [T] {
        var reader = TLSReader(bytes)
        do {
            let values = try reader.vector(of: T.self)
            try reader.finish()
            return values
        } catch {
            throw .malformedMessage(opcode: opcode, reason: error.description)
        }
    }

    /// The user id in a basic credential: 8 bytes big-endian.
    static func userID(of credential: Credential) -> UInt64? {
        guard case .basic(let identity) = credential, identity.count == 8 else { return nil }
        return identity.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A user id as 8 bytes big-endian (credential identity, group id).
    static func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    /// A user id as 8 bytes little-endian (media key export context).
    static func littleEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}
