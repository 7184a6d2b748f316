/// Every way an MLS operation can fail; `description` is one sentence a caller can act on.
public enum MLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before a complete value could be read.
    case truncated
    /// A variable-length integer used a longer encoding than needed or the reserved prefix.
    case nonMinimalLength
    /// Bytes were left over after a complete value was read.
    case trailingBytes
    /// A field held a value the protocol does not allow.
    case invalidValue(String)
    /// A cryptographic key could not be parsed.
    case invalidKey
    /// A signature did not verify.
    case badSignature
    /// A MAC (membership tag or confirmation tag) did not match.
    case badMAC(String)
    /// HPKE or AEAD decryption failed.
    case decryptionFailed
    /// The message belongs to another group or epoch.
    case wrongGroupOrEpoch
    /// The message type or feature is not supported by this implementation.
    case unsupported(String)
    /// The ratchet tree is not valid.
    case invalidTree(String)
    /// A proposal or commit breaks the rules of RFC 9420.
    case invalidProposal(String)
    /// A Welcome could not be processed.
    case invalidWelcome(String)

    public var description: String {
        switch self {
        case .truncated: return "The MLS message ended before a complete value could be read."
        case .nonMinimalLength: return "The MLS message uses a non-minimal or reserved variable-length integer encoding."
        case .trailingBytes: return "The MLS message has unexpected bytes after its end."
        case .invalidValue(let what): return "The MLS message has an invalid \(what)."
        case .invalidKey: return "An MLS key could not be parsed as a P-256 key."
        case .badSignature: return "An MLS signature did not verify."
        case .badMAC(let what): return "The MLS \(what) did not match."
        case .decryptionFailed: return "An MLS ciphertext could not be decrypted."
        case .wrongGroupOrEpoch: return "The MLS message is for another group or epoch."
        case .unsupported(let what): return "The MLS feature \(what) is not supported."
        case .invalidTree(let why): return "The MLS ratchet tree is invalid: \(why)."
        case .invalidProposal(let why): return "The MLS proposal or commit is invalid: \(why)."
        case .invalidWelcome(let why): return "The MLS Welcome is invalid: \(why)."
        }
    }
}
