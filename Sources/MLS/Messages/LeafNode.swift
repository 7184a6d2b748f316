import Crypto

/// `LeafNode` (RFC 9420 §7.2): a member's keys, credential and capabilities, signed by the member.
public struct LeafNode: TLSCodable, Hashable {
    /// Where the leaf node came from, with the field that depends on it.
    public enum Source: Hashable, Sendable {
        /// Inside a KeyPackage, valid for `Lifetime`.
        case keyPackage(Lifetime)
        /// Inside an Update proposal.
        case update
        /// Inside a Commit's UpdatePath, bound to the path by a parent hash.
        case commit(parentHash: [UInt8])

        var code: UInt8 {
            switch self {
            case .keyPackage: return 1
            case .update: return 2
            case .commit: return 3
            }
        }
    }

    /// The HPKE public key (uncompressed SEC1 P-256).
    public var encryptionKey: [UInt8]
    /// The signature public key (uncompressed SEC1 P-256).
    public var signatureKey: [UInt8]
    /// The member's credential.
    public var credential: Credential
    /// What the member's client supports.
    public var capabilities: Capabilities
    /// The origin of this leaf node.
    public var source: Source
    /// Leaf extensions.
    public var extensions: [Extension]
    /// SignWithLabel(., "LeafNodeTBS", LeafNodeTBS).
    public var signature: [UInt8]

    /// Creates a leaf node from its fields.
    public init(encryptionKey: [UInt8], signatureKey: [UInt8], credential: Credential, capabilities: Capabilities,
                source: Source, extensions: [Extension], signature: [UInt8]) {
        self.encryptionKey = encryptionKey
        self.signatureKey = signatureKey
        self.credential = credential
        self.capabilities = capabilities
        self.source = source
        self.extensions = extensions
        self.signature = signature
    }

    private func encodeContent(to w: inout TLSWriter) {
        w.opaque(encryptionKey)
        w.opaque(signatureKey)
        w.write(credential)
        w.write(capabilities)
        w.u8(source.code)
        switch source {
        case .keyPackage(let lifetime): w.write(lifetime)
        case .update: break
        case .commit(let parentHash): w.opaque(parentHash)
        }
        w.vector(extensions)
    }

    public func encode(to writer: inout TLSWriter) {
        encodeContent(to: &writer)
        writer.opaque(signature)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        encryptionKey = try reader.opaque()
        signatureKey = try reader.opaque()
        credential = try reader.read()
        capabilities = try reader.read()
        switch try reader.u8() {
        case 1: source = .keyPackage(try reader.read())
        case 2: source = .update
        case 3: source = .commit(parentHash: try reader.opaque())
        default: throw .invalidValue("leaf node source")
        }
        extensions = try reader.vector()
        signature = try reader.opaque()
    }

    /// The LeafNodeTBS bytes; `group` binds update and commit leaves to a group and leaf index.
    func tbs(groupID: [UInt8], leafIndex: UInt32) -> [UInt8] {
        var w = TLSWriter()
        encodeContent(to: &w)
        switch source {
        case .keyPackage: break
        case .update, .commit:
            w.opaque(groupID)
            w.u32(leafIndex)
        }
        return w.bytes
    }

    /// Signs the leaf node in place.
    mutating func sign(with key: P256.Signing.PrivateKey, groupID: [UInt8], leafIndex: UInt32) throws(MLSError) {
        signature = try CipherSuite.signWithLabel(key: key, label: "LeafNodeTBS", content: tbs(groupID: groupID, leafIndex: leafIndex))
    }

    /// Verifies the leaf node's signature.
    func verifySignature(groupID: [UInt8], leafIndex: UInt32) throws(MLSError) {
        try CipherSuite.verifyWithLabel(publicKey: signatureKey, label: "LeafNodeTBS",
                                        content: tbs(groupID: groupID, leafIndex: leafIndex), signature: signature)
    }

    /// The parent hash carried by a commit-sourced leaf.
    var parentHash: [UInt8]? {
        if case .commit(let hash) = source { return hash }
        return nil
    }
}

/// `KeyPackage` (RFC 9420 §10): a signed offer to be added to a group.
public struct KeyPackage: TLSCodable, Hashable {
    /// The protocol version (1 for MLS 1.0).
    public var version: UInt16
    /// The cipher suite.
    public var cipherSuite: UInt16
    /// The HPKE public key that Welcome secrets are encrypted to.
    public var initKey: [UInt8]
    /// The leaf node the member will occupy.
    public var leafNode: LeafNode
    /// Key package extensions.
    public var extensions: [Extension]
    /// SignWithLabel(., "KeyPackageTBS", KeyPackageTBS) by the leaf's signature key.
    public var signature: [UInt8]

    /// Creates a key package from its fields.
    public init(version: UInt16, cipherSuite: UInt16, initKey: [UInt8], leafNode: LeafNode, extensions: [Extension], signature: [UInt8]) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.initKey = initKey
        self.leafNode = leafNode
        self.extensions = extensions
        self.signature = signature
    }

    private func encodeContent(to w: inout TLSWriter) {
        w.u16(version)
        w.u16(cipherSuite)
        w.opaque(initKey)
        w.write(leafNode)
        w.vector(extensions)
    }

    public func encode(to writer: inout TLSWriter) {
        encodeContent(to: &writer)
        writer.opaque(signature)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        version = try reader.u16()
        cipherSuite = try reader.u16()
        initKey = try reader.opaque()
        leafNode = try reader.read()
        extensions = try reader.vector()
        signature = try reader.opaque()
    }

    /// KeyPackageRef: RefHash("MLS 1.0 KeyPackage Reference", KeyPackage).
    public var reference: [UInt8] { CipherSuite.refHash(label: "MLS 1.0 KeyPackage Reference", value: tlsBytes) }

    var tbs: [UInt8] {
        var w = TLSWriter()
        encodeContent(to: &w)
        return w.bytes
    }

    /// Checks the key package as RFC 9420 §10.1 requires: suite, version, signatures, leaf source, distinct keys.
    public func validate() throws(MLSError) {
        guard version == 1 else { throw .unsupported("protocol version \(version)") }
        guard cipherSuite == CipherSuite.id else { throw .unsupported("cipher suite \(cipherSuite)") }
        guard case .keyPackage = leafNode.source else { throw .invalidValue("key package leaf node source") }
        guard initKey != leafNode.encryptionKey else { throw .invalidValue("key package whose init key equals its encryption key") }
        _ = try CipherSuite.hpkePublicKey(initKey)
        try CipherSuite.verifyWithLabel(publicKey: leafNode.signatureKey, label: "KeyPackageTBS", content: tbs, signature: signature)
        try leafNode.verifySignature(groupID: [], leafIndex: 0)
    }
}
