/// `PreSharedKeyID` (RFC 9420 §8.4): names a PSK; decoded for completeness, never used.
public struct PreSharedKeyID: TLSCodable, Hashable {
    /// The PSK's source and identifier.
    public enum Kind: Hashable, Sendable {
        /// An external PSK by identifier.
        case external(id: [UInt8])
        /// A resumption PSK from an epoch of a group.
        case resumption(usage: UInt8, groupID: [UInt8], epoch: UInt64)
    }

    /// What the PSK is.
    public var kind: Kind
    /// A fresh nonce.
    public var nonce: [UInt8]

    /// Names a PSK.
    public init(kind: Kind, nonce: [UInt8]) {
        self.kind = kind
        self.nonce = nonce
    }

    public func encode(to writer: inout TLSWriter) {
        switch kind {
        case .external(let id):
            writer.u8(1)
            writer.opaque(id)
        case .resumption(let usage, let groupID, let epoch):
            writer.u8(2)
            writer.u8(usage)
            writer.opaque(groupID)
            writer.u64(epoch)
        }
        writer.opaque(nonce)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        switch try reader.u8() {
        case 1: kind = .external(id: try reader.opaque())
        case 2: kind = .resumption(usage: try reader.u8(), groupID: try reader.opaque(), epoch: try reader.u64())
        default: throw .invalidValue("PSK type")
        }
        nonce = try reader.opaque()
    }
}

/// `Proposal` (RFC 9420 §12.1). A group acts on all but ReInit and ExternalInit, which decode and are rejected.
public enum Proposal: TLSCodable, Hashable {
    /// Add the owner of a key package.
    case add(KeyPackage)
    /// Replace the sender's leaf node.
    case update(LeafNode)
    /// Remove the member at a leaf index.
    case remove(leaf: UInt32)
    /// Inject a pre-shared key.
    case preSharedKey(PreSharedKeyID)
    /// Reinitialize the group with new parameters.
    case reInit(groupID: [UInt8], version: UInt16, cipherSuite: UInt16, extensions: [Extension])
    /// Join by external commit.
    case externalInit(kemOutput: [UInt8])
    /// Replace the group context extensions.
    case groupContextExtensions([Extension])

    /// The proposal type code.
    public var type: UInt16 {
        switch self {
        case .add: return 1
        case .update: return 2
        case .remove: return 3
        case .preSharedKey: return 4
        case .reInit: return 5
        case .externalInit: return 6
        case .groupContextExtensions: return 7
        }
    }

    public func encode(to writer: inout TLSWriter) {
        writer.u16(type)
        switch self {
        case .add(let keyPackage): writer.write(keyPackage)
        case .update(let leaf): writer.write(leaf)
        case .remove(let leaf): writer.u32(leaf)
        case .preSharedKey(let psk): writer.write(psk)
        case .reInit(let groupID, let version, let suite, let extensions):
            writer.opaque(groupID)
            writer.u16(version)
            writer.u16(suite)
            writer.vector(extensions)
        case .externalInit(let kemOutput): writer.opaque(kemOutput)
        case .groupContextExtensions(let extensions): writer.vector(extensions)
        }
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        switch try reader.u16() {
        case 1: self = .add(try reader.read())
        case 2: self = .update(try reader.read())
        case 3: self = .remove(leaf: try reader.u32())
        case 4: self = .preSharedKey(try reader.read())
        case 5: self = .reInit(groupID: try reader.opaque(), version: try reader.u16(), cipherSuite: try reader.u16(), extensions: try reader.vector())
        case 6: self = .externalInit(kemOutput: try reader.opaque())
        case 7: self = .groupContextExtensions(try reader.vector())
        default: throw .unsupported("proposal type")
        }
    }
}

/// `ProposalOrRef` (RFC 9420 §12.4): a proposal inline or by its ProposalRef.
public enum ProposalOrRef: TLSCodable, Hashable {
    /// A proposal carried in the commit.
    case proposal(Proposal)
    /// A reference to a proposal received earlier in the epoch.
    case reference([UInt8])

    public func encode(to writer: inout TLSWriter) {
        switch self {
        case .proposal(let p):
            writer.u8(1)
            writer.write(p)
        case .reference(let r):
            writer.u8(2)
            writer.opaque(r)
        }
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        switch try reader.u8() {
        case 1: self = .proposal(try reader.read())
        case 2: self = .reference(try reader.opaque())
        default: throw .invalidValue("proposal-or-reference type")
        }
    }
}

/// `UpdatePathNode` (RFC 9420 §12.4.1): a new public key and the path secret encrypted to a copath resolution.
public struct UpdatePathNode: TLSCodable, Hashable {
    /// The new HPKE public key of this parent.
    public var encryptionKey: [UInt8]
    /// The path secret, once per node in the copath child's resolution.
    public var encryptedPathSecret: [HPKECiphertext]

    public func encode(to writer: inout TLSWriter) {
        writer.opaque(encryptionKey)
        writer.vector(encryptedPathSecret)
    }

    /// Creates an UpdatePath node.
    public init(encryptionKey: [UInt8], encryptedPathSecret: [HPKECiphertext]) {
        self.encryptionKey = encryptionKey
        self.encryptedPathSecret = encryptedPathSecret
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        encryptionKey = try reader.opaque()
        encryptedPathSecret = try reader.vector()
    }
}

/// `UpdatePath` (RFC 9420 §12.4.1): the committer's new leaf and its filtered direct path.
public struct UpdatePath: TLSCodable, Hashable {
    /// The committer's new leaf node.
    public var leafNode: LeafNode
    /// One entry per node of the committer's filtered direct path.
    public var nodes: [UpdatePathNode]

    /// Creates an UpdatePath.
    public init(leafNode: LeafNode, nodes: [UpdatePathNode]) {
        self.leafNode = leafNode
        self.nodes = nodes
    }

    public func encode(to writer: inout TLSWriter) {
        writer.write(leafNode)
        writer.vector(nodes)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        leafNode = try reader.read()
        nodes = try reader.vector()
    }
}

/// `Commit` (RFC 9420 §12.4): the proposals to apply and an optional path.
public struct Commit: TLSCodable, Hashable {
    /// The proposals, inline or by reference, in order.
    public var proposals: [ProposalOrRef]
    /// The committer's UpdatePath.
    public var path: UpdatePath?

    /// Creates a commit.
    public init(proposals: [ProposalOrRef], path: UpdatePath?) {
        self.proposals = proposals
        self.path = path
    }

    public func encode(to writer: inout TLSWriter) {
        writer.vector(proposals)
        writer.optional(path)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        proposals = try reader.vector()
        path = try reader.optional()
    }
}
