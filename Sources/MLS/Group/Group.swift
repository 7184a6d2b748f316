import Crypto

/// One member's state of an MLS group in its current epoch (RFC 9420 §8, §11, §12).
///
/// A value type: operations that start a new epoch return or produce a new `Group`, so a
/// caller can hold the current epoch while a commit it sent is pending.
public struct Group: Sendable {
    /// The group context of the current epoch.
    public private(set) var context: GroupContext
    /// The public ratchet tree.
    public private(set) var tree: RatchetTree
    /// This member's leaf index.
    public private(set) var ownLeaf: UInt32
    var secrets: EpochSecrets
    var interimTranscriptHash: [UInt8]
    var privateKeys: TreeKEM.PrivateKeys
    let signatureKey: P256.Signing.PrivateKey
    /// Pre-shared keys this member can use.
    var psks: PSKStore
    /// Proposals received in this epoch, in arrival order.
    public private(set) var cachedProposals: [CachedProposal] = []

    /// A proposal received in the current epoch and its ProposalRef.
    public struct CachedProposal: Sendable, Hashable {
        /// RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent).
        public let reference: [UInt8]
        /// The proposal.
        public let proposal: Proposal
        /// Who sent it.
        public let sender: Sender
    }

    /// The group identifier.
    public var groupID: [UInt8] { context.groupID }

    /// The current epoch number.
    public var epoch: UInt64 { context.epoch }

    /// The epoch authenticator (RFC 9420 §8.7).
    public var epochAuthenticator: [UInt8] { secrets.epochAuthenticator }

    /// MLS-Exporter(label, context, length) for the current epoch (RFC 9420 §8.5).
    ///
    /// `length` is at most 8,160 bytes (255 SHA-256 blocks), the HKDF limit.
    public func exportSecret(label: String, context: [UInt8], length: Int) -> [UInt8] {
        secrets.export(label: Array(label.utf8), context: context, length: length)
    }

    /// The group's external senders, from its `external_senders` extension.
    public var externalSenders: [ExternalSender] {
        guard let data = context.extensions.payload(Extension.externalSenders) else { return [] }
        var reader = TLSReader(data)
        return (try? reader.vector(of: ExternalSender.self)) ?? []
    }

    /// The leaf indices and leaf nodes of every current member.
    public var members: [(index: UInt32, leaf: LeafNode)] {
        tree.occupiedLeaves.compactMap { i in tree.leaf(i).map { (i, $0) } }
    }

    /// Creates a group with this client as its sole member, at epoch 0 (RFC 9420 §11).
    public init(groupID: [UInt8], credential: Credential, signatureKey: P256.Signing.PrivateKey,
                extensions: [Extension], capabilities: Capabilities = .supported) throws(MLSError) {
        guard extensions.hasUniqueTypes else { throw .invalidValue("group context extension list with duplicate types") }
        if let data = extensions.payload(Extension.externalSenders) {
            var reader = TLSReader(data)
            _ = try reader.vector(of: ExternalSender.self)
            try reader.finish()
        }
        let encryptionKey = P256.KeyAgreement.PrivateKey()
        var leaf = LeafNode(encryptionKey: Array(encryptionKey.publicKey.x963Representation),
                            signatureKey: Array(signatureKey.publicKey.x963Representation),
                            credential: credential, capabilities: capabilities, source: .keyPackage(.unlimited),
                            extensions: [], signature: [])
        try leaf.sign(with: signatureKey, groupID: groupID, leafIndex: 0)
        let tree = RatchetTree(firstLeaf: leaf)
        let context = GroupContext(groupID: groupID, epoch: 0, treeHash: tree.rootHash, confirmedTranscriptHash: [], extensions: extensions)
        let secrets = EpochSecrets(joinerSecret: TreeKEM.randomBytes(CipherSuite.hashLength), context: context)
        self.init(context: context, tree: tree, ownLeaf: 0, secrets: secrets,
                  interimTranscriptHash: TranscriptHash.interim(confirmed: [], confirmationTag: secrets.confirmationTag(for: [])),
                  privateKeys: [0: encryptionKey], signatureKey: signatureKey,
                  psks: PSKStore(external: [:], groupID: groupID).recording(epoch: 0, resumptionPSK: secrets.resumptionPSK))
    }

    init(context: GroupContext, tree: RatchetTree, ownLeaf: UInt32, secrets: EpochSecrets, interimTranscriptHash: [UInt8],
         privateKeys: TreeKEM.PrivateKeys, signatureKey: P256.Signing.PrivateKey, psks: PSKStore) {
        self.context = context
        self.tree = tree
        self.ownLeaf = ownLeaf
        self.secrets = secrets
        self.interimTranscriptHash = interimTranscriptHash
        self.privateKeys = privateKeys
        self.signatureKey = signatureKey
        self.psks = psks
    }

    /// Forgets cached proposals with the given references (for example when a delivery service revokes them).
    public mutating func removeCachedProposals(references: [[UInt8]]) {
        let drop = Set(references)
        cachedProposals.removeAll { drop.contains($0.reference) }
    }

    /// Checks a received PublicMessage's group, epoch, sender, membership tag and signature (RFC 9420 §6).
    func verify(_ message: PublicMessage) throws(MLSError) -> AuthenticatedContent {
        let content = message.content
        guard content.groupID == groupID, content.epoch == epoch else { throw .wrongGroupOrEpoch }
        let signer: [UInt8]
        switch content.sender {
        case .member(let index):
            guard let leaf = tree.leaf(index) else { throw .invalidValue("sender leaf index") }
            try message.verifyMembershipTag(key: secrets.membershipKey, context: context)
            signer = leaf.signatureKey
        case .external(let index):
            let senders = externalSenders
            guard index < senders.count else { throw .invalidValue("external sender index") }
            guard case .proposal = content.content else { throw .invalidValue("external sender content type") }
            signer = senders[Int(index)].signatureKey
        case .newMemberProposal, .newMemberCommit:
            throw .unsupported("new-member senders")
        }
        if case .application = content.content { throw .invalidValue("application data in a PublicMessage") }
        try message.verifySignature(publicKey: signer, context: context)
        return message.authenticatedContent
    }

    /// Verifies a proposal message and caches it for a later commit; returns its ProposalRef.
    ///
    /// Members' proposals need a valid membership tag; external senders' proposals are checked
    /// against the `external_senders` extension. Add, Remove, Update, PreSharedKey and
    /// GroupContextExtensions proposals are accepted; an Add's key package must be valid, a Remove
    /// must name a current member and an Update must carry a valid leaf from a member.
    @discardableResult
    public mutating func cacheProposal(_ message: MLSMessage) throws(MLSError) -> [UInt8] {
        guard case .publicMessage(let publicMessage) = message else { throw .unsupported("proposals not sent as PublicMessage") }
        let authenticated = try verify(publicMessage)
        guard case .proposal(let proposal) = authenticated.content.content else { throw .invalidValue("content type for a proposal") }
        try checkSupported(proposal)
        switch proposal {
        case .add(let keyPackage): try keyPackage.validate()
        case .remove(let leaf): guard tree.leaf(leaf) != nil else { throw .invalidProposal("a Remove names a blank or missing leaf") }
        case .update(let leaf):
            guard case .member(let sender) = authenticated.content.sender else { throw .invalidProposal("an Update from a non-member") }
            try validateUpdate(leaf, from: sender, in: tree, extensions: context.extensions)
        default: break
        }
        let reference = authenticated.proposalReference
        guard !cachedProposals.contains(where: { $0.reference == reference }) else { return reference }
        cachedProposals.append(CachedProposal(reference: reference, proposal: proposal, sender: authenticated.content.sender))
        return reference
    }

    func checkSupported(_ proposal: Proposal) throws(MLSError) {
        switch proposal {
        case .add, .remove, .update, .preSharedKey, .groupContextExtensions: return
        case .reInit: throw .unsupported("ReInit proposals")
        case .externalInit: throw .unsupported("ExternalInit proposals")
        }
    }

    /// Checks an Update's leaf (RFC 9420 §12.1.2): source, fresh encryption key and leaf validity.
    func validateUpdate(_ leaf: LeafNode, from sender: UInt32, in tree: RatchetTree, extensions: [Extension]) throws(MLSError) {
        guard case .update = leaf.source else { throw .invalidValue("Update leaf node source") }
        guard let current = tree.leaf(sender) else { throw .invalidProposal("an Update from a blank leaf") }
        guard leaf.encryptionKey != current.encryptionKey else { throw .invalidProposal("an Update reuses its encryption key") }
        try LeafValidation.validate(leaf, index: sender, tree: tree, groupID: groupID, extensions: extensions, replacing: sender)
    }
}
