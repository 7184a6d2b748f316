import Foundation

extension Group {
    /// What a commit's proposals did to the tree and the group context extensions.
    struct AppliedProposals {
        var tree: RatchetTree
        var extensions: [Extension]
        var added: [(leaf: UInt32, keyPackage: KeyPackage)] = []
        var removed: [UInt32] = []
        var psks: [PreSharedKeyID] = []
        var needsPath: Bool
    }

    /// Validates a commit's proposal list (RFC 9420 §12.2) and applies it to a copy of the tree (§12.3).
    func applyProposals(_ proposals: [(proposal: Proposal, sender: Sender)], committer: UInt32) throws(MLSError) -> AppliedProposals {
        var applied = AppliedProposals(tree: tree, extensions: context.extensions, needsPath: proposals.isEmpty)
        var adds: [KeyPackage] = []
        var updates: [(leaf: UInt32, node: LeafNode)] = []
        var newExtensions: [Extension]?
        for (proposal, sender) in proposals {
            try checkSupported(proposal)
            switch proposal {
            case .remove(let leaf):
                guard leaf != committer else { throw .invalidProposal("the committer removes itself") }
                guard tree.leaf(leaf) != nil else { throw .invalidProposal("a Remove names a blank or missing leaf") }
                guard !applied.removed.contains(leaf) else { throw .invalidProposal("a leaf is removed twice") }
                applied.removed.append(leaf)
                applied.needsPath = true
            case .add(let keyPackage):
                try keyPackage.validate()
                let leaf = keyPackage.leafNode
                guard !adds.contains(where: { $0.leafNode.signatureKey == leaf.signatureKey || $0.leafNode.encryptionKey == leaf.encryptionKey
                                             || $0.initKey == keyPackage.initKey }) else {
                    throw .invalidProposal("two Adds share a key")
                }
                adds.append(keyPackage)
            case .update(let leaf):
                guard case .member(let updater) = sender, updater != committer else {
                    throw .invalidProposal("an Update comes from the committer or a non-member")
                }
                guard !updates.contains(where: { $0.leaf == updater }) else { throw .invalidProposal("a leaf is updated twice") }
                updates.append((updater, leaf))
                applied.needsPath = true
            case .preSharedKey(let id):
                guard id.nonce.count == CipherSuite.hashLength else { throw .invalidProposal("a PSK nonce has the wrong length") }
                guard !applied.psks.contains(where: { $0.kind == id.kind }) else { throw .invalidProposal("a PSK is proposed twice") }
                applied.psks.append(id)
            case .groupContextExtensions(let extensions):
                guard newExtensions == nil else { throw .invalidProposal("two GroupContextExtensions proposals") }
                guard extensions.hasUniqueTypes else { throw .invalidProposal("a GroupContextExtensions proposal repeats a type") }
                newExtensions = extensions
                applied.needsPath = true
            case .reInit, .externalInit:
                continue
            }
        }
        guard !updates.contains(where: { applied.removed.contains($0.leaf) }) else { throw .invalidProposal("a leaf is both updated and removed") }
        if let newExtensions {
            applied.extensions = newExtensions
            if let data = newExtensions.payload(Extension.externalSenders) {
                var reader = TLSReader(data)
                _ = try reader.vector(of: ExternalSender.self)
                try reader.finish()
            }
        }
        for (leaf, node) in updates {
            try validateUpdate(node, from: leaf, in: applied.tree, extensions: applied.extensions)
            applied.tree.update(leaf, with: node)
        }
        for leaf in applied.removed { try applied.tree.remove(leaf) }
        for keyPackage in adds {
            let index = applied.tree.add(keyPackage.leafNode)
            try LeafValidation.validate(keyPackage.leafNode, index: index, tree: applied.tree, groupID: groupID,
                                        extensions: applied.extensions, replacing: nil)
            applied.added.append((index, keyPackage))
        }
        if newExtensions != nil {
            for index in applied.tree.occupiedLeaves {
                try LeafValidation.supports(applied.tree.leaf(index)!, extensions: applied.extensions)
            }
        }
        return applied
    }

    /// The context of the next epoch before its transcript hash is known.
    func provisionalContext(treeHash: [UInt8], extensions: [Extension]) -> GroupContext {
        var next = context
        next.epoch += 1
        next.treeHash = treeHash
        next.extensions = extensions
        return next
    }

    /// A commit this member created, with the Welcome for new members and the group at the next epoch.
    public struct CommitOutput: Sendable {
        /// The commit, framed as a PublicMessage.
        public let message: MLSMessage
        /// A Welcome for the members the commit adds, if any.
        public let welcome: Welcome?
        /// This member's group once the commit is accepted.
        public let group: Group
    }

    /// Commits the cached proposals (all of them, or those with the given references) with an UpdatePath.
    ///
    /// The current group is unchanged; adopt `CommitOutput.group` once the delivery service accepts the commit.
    public func createCommit(proposalReferences: [[UInt8]]? = nil) throws(MLSError) -> CommitOutput {
        let chosen = proposalReferences.map { refs in refs.compactMap { ref in cachedProposals.first { $0.reference == ref } } } ?? cachedProposals
        guard chosen.count == (proposalReferences?.count ?? chosen.count) else { throw .invalidProposal("a referenced proposal is not cached") }
        var applied = try applyProposals(chosen.map { ($0.proposal, $0.sender) }, committer: ownLeaf)
        for (_, keyPackage) in applied.added {
            guard case .keyPackage(let lifetime) = keyPackage.leafNode.source, lifetime.contains(now: Self.now()) else {
                throw .invalidProposal("an added key package is outside its lifetime")
            }
        }
        let newMembers = Set(applied.added.map(\.leaf))
        guard let ownLeafNode = tree.leaf(ownLeaf) else { throw .invalidTree("this member's leaf is blank") }
        let created = try TreeKEM.createPath(tree: &applied.tree, sender: ownLeaf, leaf: ownLeafNode, signer: signatureKey,
                                             groupID: groupID, newMembers: newMembers,
                                             context: { provisionalContext(treeHash: $0, extensions: applied.extensions) })
        let content = FramedContent(groupID: groupID, epoch: epoch, sender: .member(ownLeaf), authenticatedData: [],
                                    content: .commit(Commit(proposals: chosen.map { .reference($0.reference) }, path: created.path)))
        let signature = try CipherSuite.signWithLabel(key: signatureKey, label: "FramedContentTBS",
                                                      content: content.tbs(wireFormat: .publicMessage, context: context))
        var authenticated = AuthenticatedContent(wireFormat: .publicMessage, content: content,
                                                 auth: FramedContentAuthData(signature: signature, confirmationTag: nil))
        let confirmed = TranscriptHash.confirmed(interim: interimTranscriptHash, content: authenticated)
        var nextContext = provisionalContext(treeHash: applied.tree.rootHash, extensions: applied.extensions)
        nextContext.confirmedTranscriptHash = confirmed
        let nextSecrets = EpochSecrets(initSecret: secrets.initSecret, commitSecret: created.commitSecret,
                                       pskSecret: try PSKSecret.resolve(applied.psks, store: psks), context: nextContext)
        let tag = nextSecrets.confirmationTag(for: confirmed)
        authenticated.auth.confirmationTag = tag
        var message = PublicMessage(content: content, auth: authenticated.auth, membershipTag: nil)
        message.attachMembershipTag(key: secrets.membershipKey, context: context)

        let next = Group(context: nextContext, tree: applied.tree, ownLeaf: ownLeaf, secrets: nextSecrets,
                         interimTranscriptHash: TranscriptHash.interim(confirmed: confirmed, confirmationTag: tag),
                         privateKeys: created.privateKeys, signatureKey: signatureKey,
                         psks: psks.recording(epoch: nextContext.epoch, resumptionPSK: nextSecrets.resumptionPSK))
        let welcome = applied.added.isEmpty ? nil : try next.welcome(for: applied.added, psks: applied.psks, confirmationTag: tag,
                                                                     pathSecrets: created.pathSecrets)
        return CommitOutput(message: .publicMessage(message), welcome: welcome, group: next)
    }

    /// Builds the Welcome for members added by this member's commit, from the new epoch's state.
    private func welcome(for added: [(leaf: UInt32, keyPackage: KeyPackage)], psks: [PreSharedKeyID], confirmationTag: [UInt8],
                         pathSecrets: [UInt32: [UInt8]]) throws(MLSError) -> Welcome {
        var info = GroupInfo(groupContext: context, extensions: [Extension(type: Extension.ratchetTree, data: tree.tlsBytes)],
                             confirmationTag: confirmationTag, signer: ownLeaf, signature: [])
        try info.sign(with: signatureKey)
        let (key, nonce) = EpochSecrets.welcomeKeyAndNonce(secrets.welcomeSecret)
        let encryptedInfo = try CipherSuite.seal(key: key, nonce: nonce, aad: [], plaintext: info.tlsBytes)
        let path = TreeMath.directPath(ownLeaf * 2, leaves: tree.leafCount)
        var entries: [EncryptedGroupSecrets] = []
        for (leaf, keyPackage) in added {
            let ancestor = path.first { TreeMath.isInSubtree(leaf * 2, of: $0) && pathSecrets[$0] != nil }
            let groupSecrets = GroupSecrets(joinerSecret: secrets.joinerSecret, pathSecret: ancestor.flatMap { pathSecrets[$0] }, psks: psks)
            let sealed = try CipherSuite.encryptWithLabel(publicKey: keyPackage.initKey, label: "Welcome", context: encryptedInfo,
                                                          plaintext: groupSecrets.tlsBytes)
            entries.append(EncryptedGroupSecrets(newMember: keyPackage.reference, encryptedGroupSecrets: sealed))
        }
        return Welcome(cipherSuite: CipherSuite.id, secrets: entries, encryptedGroupInfo: encryptedInfo)
    }

    /// What processing another member's commit did.
    public enum CommitEffect: Sendable, Equatable {
        /// The group moved to the next epoch, adding and removing these leaves.
        case applied(added: [UInt32], removed: [UInt32])
        /// The commit removed this member; the group state is no longer usable.
        case removedSelf
    }

    /// Verifies and applies another member's commit, moving to the next epoch (RFC 9420 §12.4.2).
    ///
    /// On any error the group is left unchanged.
    public mutating func processCommit(_ message: MLSMessage) throws(MLSError) -> CommitEffect {
        guard case .publicMessage(let publicMessage) = message else { throw .unsupported("commits not sent as PublicMessage") }
        let authenticated = try verify(publicMessage)
        guard case .commit(let commit) = authenticated.content.content else { throw .invalidValue("content type for a commit") }
        guard case .member(let committer) = authenticated.content.sender else { throw .unsupported("commits from non-members") }
        guard committer != ownLeaf else { throw .invalidProposal("this member's own commit must be adopted from createCommit") }
        guard let tag = authenticated.auth.confirmationTag else { throw .invalidValue("commit without a confirmation tag") }

        var proposals: [(proposal: Proposal, sender: Sender)] = []
        for item in commit.proposals {
            switch item {
            case .proposal(let proposal): proposals.append((proposal, .member(committer)))
            case .reference(let ref):
                guard let cached = cachedProposals.first(where: { $0.reference == ref }) else {
                    throw .invalidProposal("a referenced proposal was never received")
                }
                proposals.append((cached.proposal, cached.sender))
            }
        }
        var applied = try applyProposals(proposals, committer: committer)
        if applied.removed.contains(ownLeaf) { return .removedSelf }
        var keys = privateKeys.filter { node, key in applied.tree[node]?.encryptionKey == Array(key.publicKey.x963Representation) }
        var commitSecret = EpochSecrets.zero
        if let path = commit.path {
            guard case .commit = path.leafNode.source else { throw .invalidValue("UpdatePath leaf node source") }
            guard path.leafNode.encryptionKey != tree.leaf(committer)?.encryptionKey else {
                throw .invalidProposal("the committer's new leaf reuses its encryption key")
            }
            var candidate = applied.tree
            candidate.update(committer, with: path.leafNode)
            try LeafValidation.validate(path.leafNode, index: committer, tree: candidate, groupID: groupID,
                                        extensions: applied.extensions, replacing: committer)
            let result = try TreeKEM.applyPath(tree: &applied.tree, path: path, sender: committer, receiver: ownLeaf,
                                               privateKeys: keys, newMembers: Set(applied.added.map(\.leaf)),
                                               context: { provisionalContext(treeHash: $0, extensions: applied.extensions) })
            keys = result.privateKeys
            commitSecret = result.commitSecret
        } else if applied.needsPath {
            throw .invalidProposal("the commit needs an UpdatePath")
        }
        let confirmed = TranscriptHash.confirmed(interim: interimTranscriptHash, content: authenticated)
        var nextContext = provisionalContext(treeHash: applied.tree.rootHash, extensions: applied.extensions)
        nextContext.confirmedTranscriptHash = confirmed
        let nextSecrets = EpochSecrets(initSecret: secrets.initSecret, commitSecret: commitSecret,
                                       pskSecret: try PSKSecret.resolve(applied.psks, store: psks), context: nextContext)
        guard CipherSuite.equalMACs(tag, nextSecrets.confirmationTag(for: confirmed)) else { throw .badMAC("confirmation tag") }
        self = Group(context: nextContext, tree: applied.tree, ownLeaf: ownLeaf, secrets: nextSecrets,
                     interimTranscriptHash: TranscriptHash.interim(confirmed: confirmed, confirmationTag: tag),
                     privateKeys: keys, signatureKey: signatureKey,
                     psks: psks.recording(epoch: nextContext.epoch, resumptionPSK: nextSecrets.resumptionPSK))
        return .applied(added: applied.added.map(\.leaf), removed: applied.removed)
    }

    /// Seconds since 1970, for key package lifetimes.
    static func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}

extension Lifetime {
    /// Whether `now` lies within the lifetime.
    func contains(now: UInt64) -> Bool { notBefore <= now && now <= notAfter }
}
