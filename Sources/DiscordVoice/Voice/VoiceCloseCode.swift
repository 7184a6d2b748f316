/// Close codes of the voice gateway, with the recovery each one calls for.
public enum VoiceCloseCode: Sendable, Hashable {
    /// 4001: the client sent an invalid opcode.
    case unknownOpcode
    /// 4002: the client sent a payload the server could not decode.
    case decodeError
    /// 4003: the client sent a payload before IDENTIFY.
    case notAuthenticated
    /// 4004: the voice token was wrong.
    case authenticationFailed
    /// 4005: the client identified twice.
    case alreadyAuthenticated
    /// 4006: the session is gone; join again.
    case sessionNoLongerValid
    /// 4009: the session timed out; join again.
    case sessionTimeout
    /// 4011: the voice server was not found.
    case serverNotFound
    /// 4012: SELECT_PROTOCOL named an unknown protocol.
    case unknownProtocol
    /// 4014: kicked, moved, or the channel was deleted.
    case disconnected
    /// 4015: the voice server crashed; resume.
    case voiceServerCrashed
    /// 4016: the selected encryption mode was refused.
    case unknownEncryptionMode
    /// 4017: the call requires DAVE end-to-end encryption.
    case daveProtocolRequired
    /// 4020: the server rejected a malformed request.
    case badRequest
    /// 4021: rate limited; do not reconnect.
    case rateLimited
    /// 4022: the call was ended; do not reconnect.
    case callTerminated
    /// Any other code.
    case unknown(UInt16)

    /// What the client does after a voice close.
    public enum Recovery: Sendable, Hashable {
        /// Open a new voice socket and RESUME the session.
        case resume
        /// Join the channel again from scratch (once).
        case rejoin
        /// Stop: the session is over or cannot work.
        case stop
    }

    /// Maps the wire number to its case.
    public init(_ code: UInt16) {
        switch code {
        case 4001: self = .unknownOpcode
        case 4002: self = .decodeError
        case 4003: self = .notAuthenticated
        case 4004: self = .authenticationFailed
        case 4005: self = .alreadyAuthenticated
        case 4006: self = .sessionNoLongerValid
        case 4009: self = .sessionTimeout
        case 4011: self = .serverNotFound
        case 4012: self = .unknownProtocol
        case 4014: self = .disconnected
        case 4015: self = .voiceServerCrashed
        case 4016: self = .unknownEncryptionMode
        case 4017: self = .daveProtocolRequired
        case 4020: self = .badRequest
        case 4021: self = .rateLimited
        case 4022: self = .callTerminated
        default: self = .unknown(code)
        }
    }

    /// The wire number.
    public var code: UInt16 {
        switch self {
        case .unknownOpcode: 4001
        case .decodeError: 4002
        case .notAuthenticated: 4003
        case .authenticationFailed: 4004
        case .alreadyAuthenticated: 4005
        case .sessionNoLongerValid: 4006
        case .sessionTimeout: 4009
        case .serverNotFound: 4011
        case .unknownProtocol: 4012
        case .disconnected: 4014
        case .voiceServerCrashed: 4015
        case .unknownEncryptionMode: 4016
        case .daveProtocolRequired: 4017
        case .badRequest: 4020
        case .rateLimited: 4021
        case .callTerminated: 4022
        case .unknown(let code): code
        }
    }

    /// The recovery the voice docs prescribe for this close.
    public var recovery: Recovery {
        switch self {
        case .voiceServerCrashed: .resume
        case .sessionNoLongerValid, .sessionTimeout: .rejoin
        default: .stop
        }
    }

    /// A sentence a bot owner can act on.
    public func sentence(reason: String) -> String {
        switch self {
        case .daveProtocolRequired:
            return "Discord requires DAVE end-to-end encryption for this call (voice close code 4017)."
        case .disconnected:
            return "The bot was disconnected from the voice channel (kicked, moved, or the channel was deleted; voice close code 4014)."
        case .callTerminated:
            return "The voice call was terminated by Discord (voice close code 4022)."
        case .rateLimited:
            return "Discord rate-limited the voice connection (voice close code 4021); wait before trying again."
        case .unknownEncryptionMode:
            return "The voice server did not accept the selected encryption mode (voice close code 4016)."
        case .authenticationFailed:
            return "The voice server rejected the voice token (voice close code 4004)."
        case .sessionNoLongerValid, .sessionTimeout:
            return "The voice session ended (voice close code \(code)) and joining again did not help."
        default:
            let detail = reason.isEmpty ? "no reason given" : reason
            return "The voice gateway closed the connection with code \(code) (\(detail))."
        }
    }
}
