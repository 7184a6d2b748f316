import Crypto

/// `GroupInfo` (RFC 9420 §12.4.3): the group state a joiner needs, signed by the committer.
public struct GroupInfo: TLSCodable, Hashable {
    /// The new epoch's group context.
    public var groupContext: GroupContext
    /// GroupInfo extensions (for example `ratchet_tree`).
    public var extensions: [Extension]
    /// The new epoch's confirmation tag.
    public var confirmationTag: [UInt8]
    /// The signer's leaf index.
    public var signer: UInt32
    /// SignWithLabel(., "GroupInfoTBS", GroupInfoTBS).
    public var signature: [UInt8]

    /// Creates a GroupInfo from its fields.
    public init(groupContext: GroupContext, extensions: [Extension], confirmationTag: [UInt8], signer: UInt32, signature: [UInt8]) {
        self.groupContext = groupContext
        self.extensions = extensions
        self.confirmationTag = confirmationTag
        self.signer = signer
        self.signature = signature
    }

    private func encodeContent(to w: inout TLSWriter) {
        w.write(groupContext)
        w.vector(extensions)
        w.opaque(confirmationTag)
        w.u32(signer)
    }

    public func encode(to writer: inout TLSWriter) {
        encodeContent(to: &writer)
        writer.opaque(signature)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        groupContext = try reader.read()
        extensions = try reader.vector()
        confirmationTag = try reader.opaque()
        signer = try reader.u32()
        signature = try reader.opaque()
    }

    var tbs: [UInt8] {
        var w = TLSWriter()
        encodeContent(to: &w)
        return w.bytes
    }

    mutating func sign(with key: P256.Signing.PrivateKey) throws(MLSError) {
        signature = try CipherSuite.signWithLabel(key: key, label: "GroupInfoTBS", content: tbs)
    }

    func verify(signatureKey: [UInt8]) throws(MLSError) {
        try CipherSuite.verifyWithLabel(publicKey: signatureKey, label: "GroupInfoTBS", content: tbs, signature: signature)
    }
}

/// `GroupSecrets` (RFC 9420 §12.4.3.1): what each new member decrypts from a Welcome.
public struct GroupSecrets: TLSCodable, Hashable {
    /// The joiner secret of the new epoch.
    public var joinerSecret: [UInt8]
    /// The path secret for the lowest common ancestor of committer and joiner, if a path was sent.
    public var pathSecret: [UInt8]?
    /// PSKs used in the epoch.
    public var psks: [PreSharedKeyID]

    /// Creates group secrets.
    public init(joinerSecret: [UInt8], pathSecret: [UInt8]?, psks: [PreSharedKeyID]) {
        self.joinerSecret = joinerSecret
        self.pathSecret = pathSecret
        self.psks = psks
    }

    public func encode(to writer: inout TLSWriter) {
        writer.opaque(joinerSecret)
        writer.optional(pathSecret.map(OpaqueBytes.init))
        writer.vector(psks)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        joinerSecret = try reader.opaque()
        pathSecret = try reader.optional(of: OpaqueBytes.self)?.bytes
        psks = try reader.vector()
    }
}

/// `EncryptedGroupSecrets` (RFC 9420 §12.4.3.1).
public struct EncryptedGroupSecrets: TLSCodable, Hashable {
    /// The KeyPackageRef of the new member.
    public var newMember: [UInt8]
    /// GroupSecrets encrypted to the key package's init key.
    public var encryptedGroupSecrets: HPKECiphertext

    /// Creates an entry for one new member.
    public init(newMember: [UInt8], encryptedGroupSecrets: HPKECiphertext) {
        self.newMember = newMember
        self.encryptedGroupSecrets = encryptedGroupSecrets
    }

    public func encode(to writer: inout TLSWriter) {
        writer.opaque(newMember)
        writer.write(encryptedGroupSecrets)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        newMember = try reader.opaque()
        encryptedGroupSecrets = try reader.read()
    }
}

/// `Welcome` (RFC 9420 §12.4.3.1): lets new members join the epoch a commit creates.
public struct Welcome: TLSCodable, Hashable {
    /// The cipher suite.
    public var cipherSuite: UInt16
    /// One entry per new member.
    public var secrets: [EncryptedGroupSecrets]
    /// GroupInfo encrypted under the welcome key.
    public var encryptedGroupInfo: [UInt8]

    /// Creates a Welcome.
    public init(cipherSuite: UInt16, secrets: [EncryptedGroupSecrets], encryptedGroupInfo: [UInt8]) {
        self.cipherSuite = cipherSuite
        self.secrets = secrets
        self.encryptedGroupInfo = encryptedGroupInfo
    }

    public func encode(to writer: inout TLSWriter) {
        writer.u16(cipherSuite)
        writer.vector(secrets)
        writer.opaque(encryptedGroupInfo)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        cipherSuite = try reader.u16()
        secrets = try reader.vector()
        encryptedGroupInfo = try reader.opaque()
    }
}
