/// `ParentNode` (RFC 9420 §7.1): an intermediate node's key and parent hash.
public struct ParentNode: TLSCodable, Hashable {
    /// The node's HPKE public key.
    public var encryptionKey: [UInt8]
    /// The parent hash of this node's parent.
    public var parentHash: [UInt8]
    /// Leaves added below this node since its key was last set, ascending.
    public var unmergedLeaves: [UInt32]

    /// Creates a parent node.
    public init(encryptionKey: [UInt8], parentHash: [UInt8], unmergedLeaves: [UInt32]) {
        self.encryptionKey = encryptionKey
        self.parentHash = parentHash
        self.unmergedLeaves = unmergedLeaves
    }

    public func encode(to writer: inout TLSWriter) {
        writer.opaque(encryptionKey)
        writer.opaque(parentHash)
        writer.vector(unmergedLeaves)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        encryptionKey = try reader.opaque()
        parentHash = try reader.opaque()
        unmergedLeaves = try reader.vector()
    }
}

/// `Node` (RFC 9420 §7.8): a non-blank node of the ratchet tree.
public enum Node: TLSCodable, Hashable {
    /// A leaf holding a member.
    case leaf(LeafNode)
    /// An intermediate node.
    case parent(ParentNode)

    public func encode(to writer: inout TLSWriter) {
        switch self {
        case .leaf(let leaf):
            writer.u8(1)
            writer.write(leaf)
        case .parent(let parent):
            writer.u8(2)
            writer.write(parent)
        }
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        switch try reader.u8() {
        case 1: self = .leaf(try reader.read())
        case 2: self = .parent(try reader.read())
        default: throw .invalidValue("node type")
        }
    }

    /// The node's HPKE public key.
    public var encryptionKey: [UInt8] {
        switch self {
        case .leaf(let leaf): return leaf.encryptionKey
        case .parent(let parent): return parent.encryptionKey
        }
    }
}
