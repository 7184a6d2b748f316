import MLS

/// Why DAVE refused a frame, a secret or a generation.
public enum DAVEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frame does not end in a well-formed DAVE footer (supplemental size and 0xFAFA marker).
    case notAProtocolFrame
    /// The frame's synchronization nonce is not a valid ULEB128 number of at most 32 bits.
    case malformedNonce
    /// The frame carries unencrypted ranges, which Opus frames never have.
    case unexpectedUnencryptedRanges
    /// The truncated authentication tag does not match the frame under the sender's key.
    case authenticationFailed
    /// The key for this generation was already erased from the hash ratchet.
    case expiredGeneration(UInt32)
    /// The sender's 64-bit nonce space for one ratchet is exhausted.
    case nonceExhausted
    /// AES-GCM refused to seal the frame.
    case encryptionFailed
    /// A displayable code needs a group size below 8 that divides its length.
    case invalidDisplayableCodeShape(length: Int, groupSize: Int)
    /// A displayable code needs at least as many input bytes as digits.
    case displayableCodeInputTooShort(needed: Int, got: Int)
    /// A voice gateway message could not be parsed.
    case malformedMessage(opcode: UInt8, reason: String)
    /// A binary voice gateway opcode that DAVE does not handle.
    case unknownOpcode(UInt8)
    /// A proposal broke a DAVE rule (sender, type, or expected user).
    case proposalRejected(String)
    /// A message arrived in a state where it cannot apply.
    case unexpectedMessage(String)
    /// The MLS layer refused an operation.
    case mls(MLSError)

    /// One sentence saying what was wrong.
    public var description: String {
        switch self {
        case .notAProtocolFrame:
            "The media frame is not a DAVE protocol frame: its footer lacks a valid supplemental size or the 0xFAFA marker."
        case .malformedNonce:
            "The DAVE frame's synchronization nonce is not a valid ULEB128 number of at most 32 bits."
        case .unexpectedUnencryptedRanges:
            "The DAVE frame lists unencrypted ranges, which an Opus audio frame never has."
        case .authenticationFailed:
            "The DAVE frame failed authentication: it was altered or encrypted under a different key."
        case .expiredGeneration(let generation):
            "The DAVE key for ratchet generation \(generation) was already erased, so the frame cannot be decrypted."
        case .nonceExhausted:
            "The DAVE sender used up every nonce of its key ratchet and must wait for a new epoch."
        case .encryptionFailed:
            "AES-GCM refused to encrypt the media frame."
        case .invalidDisplayableCodeShape(let length, let groupSize):
            "A displayable code of \(length) digits cannot be made of groups of \(groupSize): the group size must be 1 to 7 and divide the length."
        case .displayableCodeInputTooShort(let needed, let got):
            "A displayable code of \(needed) digits needs at least \(needed) bytes of input, but got \(got)."
        case .malformedMessage(let opcode, let reason):
            "The voice gateway's DAVE opcode \(opcode) message is malformed: \(reason)."
        case .unknownOpcode(let opcode):
            "Binary voice gateway opcode \(opcode) is not a DAVE message this client handles."
        case .proposalRejected(let reason):
            "A DAVE proposal was rejected because \(reason)."
        case .unexpectedMessage(let reason):
            "A DAVE message arrived out of order: \(reason)."
        case .mls(let error):
            "The DAVE group operation failed in MLS: \(error.description)"
        }
    }
}
