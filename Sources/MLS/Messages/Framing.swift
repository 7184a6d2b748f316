/// `WireFormat` (RFC 9420 §6).
public enum WireFormat: UInt16, Sendable {
    /// `mls_public_message`.
    case publicMessage = 1
    /// `mls_private_message`.
    case privateMessage = 2
    /// `mls_welcome`.
    case welcome = 3
    /// `mls_group_info`.
    case groupInfo = 4
    /// `mls_key_package`.
    case keyPackage = 5

    init(from reader: inout TLSReader) throws(MLSError) {
        guard let format = WireFormat(rawValue: try reader.u16()) else { throw .invalidValue("wire format") }
        self = format
    }
}

/// `Sender` (RFC 9420 §6): who sent a message.
public enum Sender: TLSCodable, Hashable {
    /// A member at a leaf index.
    case member(UInt32)
    /// An external sender at an index of the `external_senders` extension.
    case external(UInt32)
    /// A new member proposing its own addition.
    case newMemberProposal
    /// A new member joining by external commit.
    case newMemberCommit

    public func encode(to writer: inout TLSWriter) {
        switch self {
        case .member(let leaf):
            writer.u8(1)
            writer.u32(leaf)
        case .external(let index):
            writer.u8(2)
            writer.u32(index)
        case .newMemberProposal: writer.u8(3)
        case .newMemberCommit: writer.u8(4)
        }
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        switch try reader.u8() {
        case 1: self = .member(try reader.u32())
        case 2: self = .external(try reader.u32())
        case 3: self = .newMemberProposal
        case 4: self = .newMemberCommit
        default: throw .invalidValue("sender type")
        }
    }

    /// Whether FramedContentTBS carries the group context for this sender.
    var bindsGroupContext: Bool {
        switch self {
        case .member, .newMemberCommit: return true
        case .external, .newMemberProposal: return false
        }
    }
}

/// The body of `FramedContent`, selected by its content type.
public enum Content: Hashable, Sendable {
    /// Application data.
    case application([UInt8])
    /// A proposal.
    case proposal(Proposal)
    /// A commit.
    case commit(Commit)

    /// The `ContentType` code.
    public var type: UInt8 {
        switch self {
        case .application: return 1
        case .proposal: return 2
        case .commit: return 3
        }
    }
}

/// `FramedContent` (RFC 9420 §6).
public struct FramedContent: TLSCodable, Hashable {
    /// The group identifier.
    public var groupID: [UInt8]
    /// The epoch the content was sent in.
    public var epoch: UInt64
    /// The sender.
    public var sender: Sender
    /// Authenticated but unencrypted data.
    public var authenticatedData: [UInt8]
    /// The content.
    public var content: Content

    /// Creates framed content.
    public init(groupID: [UInt8], epoch: UInt64, sender: Sender, authenticatedData: [UInt8], content: Content) {
        self.groupID = groupID
        self.epoch = epoch
        self.sender = sender
        self.authenticatedData = authenticatedData
        self.content = content
    }

    public func encode(to writer: inout TLSWriter) {
        writer.opaque(groupID)
        writer.u64(epoch)
        writer.write(sender)
        writer.opaque(authenticatedData)
        writer.u8(content.type)
        switch content {
        case .application(let data): writer.opaque(data)
        case .proposal(let proposal): writer.write(proposal)
        case .commit(let commit): writer.write(commit)
        }
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        groupID = try reader.opaque()
        epoch = try reader.u64()
        sender = try reader.read()
        authenticatedData = try reader.opaque()
        switch try reader.u8() {
        case 1: content = .application(try reader.opaque())
        case 2: content = .proposal(try reader.read())
        case 3: content = .commit(try reader.read())
        default: throw .invalidValue("content type")
        }
    }

    /// FramedContentTBS: what the sender signs.
    func tbs(wireFormat: WireFormat, context: GroupContext?) -> [UInt8] {
        var w = TLSWriter()
        w.u16(1)
        w.u16(wireFormat.rawValue)
        encode(to: &w)
        if sender.bindsGroupContext, let context { w.write(context) }
        return w.bytes
    }
}

/// `FramedContentAuthData` (RFC 9420 §6.1): the signature and, for commits, the confirmation tag.
public struct FramedContentAuthData: Hashable, Sendable {
    /// The sender's signature over FramedContentTBS.
    public var signature: [UInt8]
    /// The confirmation tag; present exactly when the content is a commit.
    public var confirmationTag: [UInt8]?

    /// Creates authentication data; pass a confirmation tag exactly for commits.
    public init(signature: [UInt8], confirmationTag: [UInt8]?) {
        self.signature = signature
        self.confirmationTag = confirmationTag
    }

    func encode(to writer: inout TLSWriter) {
        writer.opaque(signature)
        if let confirmationTag { writer.opaque(confirmationTag) }
    }

    init(from reader: inout TLSReader, contentType: UInt8) throws(MLSError) {
        signature = try reader.opaque()
        confirmationTag = contentType == 3 ? try reader.opaque() : nil
    }
}

/// `AuthenticatedContent` (RFC 9420 §6.1): framed content with its wire format and authentication.
public struct AuthenticatedContent: TLSCodable, Hashable {
    /// How the content travels.
    public var wireFormat: WireFormat
    /// The content.
    public var content: FramedContent
    /// Its authentication data.
    public var auth: FramedContentAuthData

    /// Pairs content with its wire format and authentication.
    public init(wireFormat: WireFormat, content: FramedContent, auth: FramedContentAuthData) {
        self.wireFormat = wireFormat
        self.content = content
        self.auth = auth
    }

    public func encode(to writer: inout TLSWriter) {
        writer.u16(wireFormat.rawValue)
        writer.write(content)
        auth.encode(to: &writer)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        wireFormat = try WireFormat(from: &reader)
        content = try reader.read()
        auth = try FramedContentAuthData(from: &reader, contentType: content.content.type)
    }

    /// ConfirmedTranscriptHashInput: wire format, content and signature.
    var confirmedTranscriptHashInput: [UInt8] {
        var w = TLSWriter()
        w.u16(wireFormat.rawValue)
        w.write(content)
        w.opaque(auth.signature)
        return w.bytes
    }

    /// ProposalRef: RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent).
    var proposalReference: [UInt8] { CipherSuite.refHash(label: "MLS 1.0 Proposal Reference", value: tlsBytes) }
}

/// `PublicMessage` (RFC 9420 §6.2): signed, unencrypted framed content.
public struct PublicMessage: TLSCodable, Hashable {
    /// The content.
    public var content: FramedContent
    /// Its authentication data.
    public var auth: FramedContentAuthData
    /// The membership tag; present exactly when the sender is a member.
    public var membershipTag: [UInt8]?

    /// Creates a PublicMessage; pass a membership tag exactly for member senders.
    public init(content: FramedContent, auth: FramedContentAuthData, membershipTag: [UInt8]?) {
        self.content = content
        self.auth = auth
        self.membershipTag = membershipTag
    }

    public func encode(to writer: inout TLSWriter) {
        writer.write(content)
        auth.encode(to: &writer)
        if let membershipTag { writer.opaque(membershipTag) }
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        content = try reader.read()
        auth = try FramedContentAuthData(from: &reader, contentType: content.content.type)
        if case .member = content.sender { membershipTag = try reader.opaque() } else { membershipTag = nil }
    }

    /// The content with its wire format and authentication.
    var authenticatedContent: AuthenticatedContent {
        AuthenticatedContent(wireFormat: .publicMessage, content: content, auth: auth)
    }

    /// Sets the membership tag for a member sender (RFC 9420 §6.2).
    mutating func attachMembershipTag(key: [UInt8], context: GroupContext) {
        membershipTag = CipherSuite.mac(key: key, data: tbm(context: context))
    }

    /// Checks the membership tag in constant time.
    func verifyMembershipTag(key: [UInt8], context: GroupContext) throws(MLSError) {
        guard let tag = membershipTag, CipherSuite.equalMACs(tag, CipherSuite.mac(key: key, data: tbm(context: context))) else {
            throw .badMAC("membership tag")
        }
    }

    /// Checks the sender's signature over FramedContentTBS.
    func verifySignature(publicKey: [UInt8], context: GroupContext) throws(MLSError) {
        try CipherSuite.verifyWithLabel(publicKey: publicKey, label: "FramedContentTBS",
                                        content: content.tbs(wireFormat: .publicMessage, context: context), signature: auth.signature)
    }

    /// AuthenticatedContentTBM: what the membership tag covers.
    func tbm(context: GroupContext) -> [UInt8] {
        var w = TLSWriter()
        w.raw(content.tbs(wireFormat: .publicMessage, context: context))
        auth.encode(to: &w)
        return w.bytes
    }
}

/// `PrivateMessage` (RFC 9420 §6.3): decoded and re-encoded, never decrypted here.
public struct PrivateMessage: TLSCodable, Hashable {
    /// The group identifier.
    public var groupID: [UInt8]
    /// The epoch.
    public var epoch: UInt64
    /// The content type.
    public var contentType: UInt8
    /// Authenticated data.
    public var authenticatedData: [UInt8]
    /// Encrypted sender data.
    public var encryptedSenderData: [UInt8]
    /// The encrypted content.
    public var ciphertext: [UInt8]

    public func encode(to writer: inout TLSWriter) {
        writer.opaque(groupID)
        writer.u64(epoch)
        writer.u8(contentType)
        writer.opaque(authenticatedData)
        writer.opaque(encryptedSenderData)
        writer.opaque(ciphertext)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        groupID = try reader.opaque()
        epoch = try reader.u64()
        contentType = try reader.u8()
        guard (1...3).contains(contentType) else { throw .invalidValue("content type") }
        authenticatedData = try reader.opaque()
        encryptedSenderData = try reader.opaque()
        ciphertext = try reader.opaque()
    }
}

/// `MLSMessage` (RFC 9420 §6): the top-level framing of everything sent on the wire.
public enum MLSMessage: TLSCodable, Hashable {
    /// A PublicMessage.
    case publicMessage(PublicMessage)
    /// A PrivateMessage.
    case privateMessage(PrivateMessage)
    /// A Welcome.
    case welcome(Welcome)
    /// A GroupInfo.
    case groupInfo(GroupInfo)
    /// A KeyPackage.
    case keyPackage(KeyPackage)

    public func encode(to writer: inout TLSWriter) {
        writer.u16(1)
        switch self {
        case .publicMessage(let m):
            writer.u16(WireFormat.publicMessage.rawValue)
            writer.write(m)
        case .privateMessage(let m):
            writer.u16(WireFormat.privateMessage.rawValue)
            writer.write(m)
        case .welcome(let m):
            writer.u16(WireFormat.welcome.rawValue)
            writer.write(m)
        case .groupInfo(let m):
            writer.u16(WireFormat.groupInfo.rawValue)
            writer.write(m)
        case .keyPackage(let m):
            writer.u16(WireFormat.keyPackage.rawValue)
            writer.write(m)
        }
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        guard try reader.u16() == 1 else { throw .unsupported("protocol version") }
        switch try WireFormat(from: &reader) {
        case .publicMessage: self = .publicMessage(try reader.read())
        case .privateMessage: self = .privateMessage(try reader.read())
        case .welcome: self = .welcome(try reader.read())
        case .groupInfo: self = .groupInfo(try reader.read())
        case .keyPackage: self = .keyPackage(try reader.read())
        }
    }
}
