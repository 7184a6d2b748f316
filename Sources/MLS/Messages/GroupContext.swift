/// `GroupContext` (RFC 9420 §8.1): the group state every member agrees on in an epoch.
public struct GroupContext: TLSCodable, Hashable {
    /// The protocol version (1).
    public var version: UInt16
    /// The cipher suite.
    public var cipherSuite: UInt16
    /// The group identifier.
    public var groupID: [UInt8]
    /// The epoch number.
    public var epoch: UInt64
    /// The ratchet tree's root tree hash.
    public var treeHash: [UInt8]
    /// The confirmed transcript hash.
    public var confirmedTranscriptHash: [UInt8]
    /// Group context extensions.
    public var extensions: [Extension]

    /// Creates a group context for MLS 1.0 and cipher suite 2 unless told otherwise.
    public init(version: UInt16 = 1, cipherSuite: UInt16 = CipherSuite.id, groupID: [UInt8], epoch: UInt64,
                treeHash: [UInt8], confirmedTranscriptHash: [UInt8], extensions: [Extension]) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.groupID = groupID
        self.epoch = epoch
        self.treeHash = treeHash
        self.confirmedTranscriptHash = confirmedTranscriptHash
        self.extensions = extensions
    }

    public func encode(to writer: inout TLSWriter) {
        writer.u16(version)
        writer.u16(cipherSuite)
        writer.opaque(groupID)
        writer.u64(epoch)
        writer.opaque(treeHash)
        writer.opaque(confirmedTranscriptHash)
        writer.vector(extensions)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        version = try reader.u16()
        cipherSuite = try reader.u16()
        groupID = try reader.opaque()
        epoch = try reader.u64()
        treeHash = try reader.opaque()
        confirmedTranscriptHash = try reader.opaque()
        extensions = try reader.vector()
    }
}
