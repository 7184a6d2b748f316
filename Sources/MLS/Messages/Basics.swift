/// `Extension` (RFC 9420 §7.2): a typed, opaque extension payload.
public struct Extension: TLSCodable, Hashable {
    /// `application_id`.
    public static let applicationID: UInt16 = 1
    /// `ratchet_tree`.
    public static let ratchetTree: UInt16 = 2
    /// `required_capabilities`.
    public static let requiredCapabilities: UInt16 = 3
    /// `external_pub`.
    public static let externalPub: UInt16 = 4
    /// `external_senders`.
    public static let externalSenders: UInt16 = 5

    /// The extension type.
    public var type: UInt16
    /// The encoded extension payload.
    public var data: [UInt8]

    /// Creates an extension from its type and payload.
    public init(type: UInt16, data: [UInt8]) {
        self.type = type
        self.data = data
    }

    public func encode(to writer: inout TLSWriter) {
        writer.u16(type)
        writer.opaque(data)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        type = try reader.u16()
        data = try reader.opaque()
    }
}

extension Array where Element == Extension {
    /// The payload of the extension of `type`, if present.
    func payload(_ type: UInt16) -> [UInt8]? { first { $0.type == type }?.data }

    /// Whether no extension type appears twice.
    var hasUniqueTypes: Bool { Set(map(\.type)).count == count }
}

/// `Credential` (RFC 9420 §5.3): a basic identity or an X.509 chain.
public enum Credential: TLSCodable, Hashable {
    /// A basic credential carrying an application-defined identity.
    case basic(identity: [UInt8])
    /// An X.509 certificate chain, leaf first; decoded but not validated.
    case x509(certificates: [[UInt8]])

    /// The credential type code.
    public var type: UInt16 {
        switch self {
        case .basic: return 1
        case .x509: return 2
        }
    }

    public func encode(to writer: inout TLSWriter) {
        writer.u16(type)
        switch self {
        case .basic(let identity): writer.opaque(identity)
        case .x509(let certificates): writer.vector(certificates.map(OpaqueBytes.init))
        }
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        switch try reader.u16() {
        case 1: self = .basic(identity: try reader.opaque())
        case 2: self = .x509(certificates: try reader.vector(of: OpaqueBytes.self).map(\.bytes))
        default: throw .unsupported("credential type")
        }
    }
}

/// `Capabilities` (RFC 9420 §7.2): what a member's client supports.
public struct Capabilities: TLSCodable, Hashable {
    /// Supported protocol versions.
    public var versions: [UInt16]
    /// Supported cipher suites.
    public var cipherSuites: [UInt16]
    /// Supported non-default extension types.
    public var extensions: [UInt16]
    /// Supported non-default proposal types.
    public var proposals: [UInt16]
    /// Supported credential types.
    public var credentials: [UInt16]

    /// Capabilities of this implementation: MLS 1.0, cipher suite 2, basic credentials.
    public static let supported = Capabilities(versions: [1], cipherSuites: [CipherSuite.id], extensions: [], proposals: [], credentials: [1])

    /// Creates a capabilities list.
    public init(versions: [UInt16], cipherSuites: [UInt16], extensions: [UInt16], proposals: [UInt16], credentials: [UInt16]) {
        self.versions = versions
        self.cipherSuites = cipherSuites
        self.extensions = extensions
        self.proposals = proposals
        self.credentials = credentials
    }

    public func encode(to writer: inout TLSWriter) {
        writer.vector(versions)
        writer.vector(cipherSuites)
        writer.vector(extensions)
        writer.vector(proposals)
        writer.vector(credentials)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        versions = try reader.vector()
        cipherSuites = try reader.vector()
        extensions = try reader.vector()
        proposals = try reader.vector()
        credentials = try reader.vector()
    }
}

/// `Lifetime` (RFC 9420 §7.2): the validity window of a key package, in seconds since the epoch.
public struct Lifetime: TLSCodable, Hashable {
    /// First second of validity.
    public var notBefore: UInt64
    /// Last second of validity.
    public var notAfter: UInt64

    /// A lifetime that never expires.
    public static let unlimited = Lifetime(notBefore: 0, notAfter: .max)

    /// Creates a lifetime.
    public init(notBefore: UInt64, notAfter: UInt64) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    public func encode(to writer: inout TLSWriter) {
        writer.u64(notBefore)
        writer.u64(notAfter)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        notBefore = try reader.u64()
        notAfter = try reader.u64()
    }
}

/// `ExternalSender` (RFC 9420 §12.1.8.1): a non-member allowed to send proposals.
public struct ExternalSender: TLSCodable, Hashable {
    /// The sender's signature public key (uncompressed SEC1 P-256).
    public var signatureKey: [UInt8]
    /// The sender's credential.
    public var credential: Credential

    /// Creates an external sender.
    public init(signatureKey: [UInt8], credential: Credential) {
        self.signatureKey = signatureKey
        self.credential = credential
    }

    public func encode(to writer: inout TLSWriter) {
        writer.opaque(signatureKey)
        writer.write(credential)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        signatureKey = try reader.opaque()
        credential = try reader.read()
    }

    /// Encodes a list of senders as an `external_senders` extension.
    public static func extensionFor(_ senders: [ExternalSender]) -> Extension {
        var w = TLSWriter()
        w.vector(senders)
        return Extension(type: Extension.externalSenders, data: w.bytes)
    }
}
