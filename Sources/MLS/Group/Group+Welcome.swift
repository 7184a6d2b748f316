import Crypto

extension Group {
    /// Joins a group from a Welcome addressed to `keyPackage` (RFC 9420 §12.4.3.1).
    ///
    /// The ratchet tree comes from the GroupInfo's `ratchet_tree` extension, or from `ratchetTree`
    /// when the Welcome carries none. `externalPSKs` maps PSK identifiers to secrets. Every check
    /// the RFC requires of a joiner is performed.
    public init(welcome: Welcome, keyPackage bundle: KeyPackageBundle, ratchetTree: RatchetTree? = nil,
                externalPSKs: [[UInt8]: [UInt8]] = [:]) throws(MLSError) {
        guard welcome.cipherSuite == bundle.keyPackage.cipherSuite else { throw .invalidWelcome("its cipher suite differs from the key package's") }
        let (groupSecrets, info, pskSecret) = try Self.open(welcome, keyPackageReference: bundle.keyPackage.reference,
                                                            initKey: bundle.initKey, externalPSKs: externalPSKs)
        let context = info.groupContext
        guard context.version == 1, context.cipherSuite == welcome.cipherSuite else { throw .invalidWelcome("its group context has another version or cipher suite") }
        guard info.extensions.hasUniqueTypes, context.extensions.hasUniqueTypes else { throw .invalidWelcome("it repeats an extension type") }

        let tree: RatchetTree
        if let data = info.extensions.payload(Extension.ratchetTree) {
            tree = try RatchetTree(tlsBytes: data)
        } else if let ratchetTree {
            tree = ratchetTree
        } else {
            throw .invalidWelcome("it carries no ratchet tree and none was supplied")
        }
        guard let signer = tree.leaf(info.signer) else { throw .invalidWelcome("its signer is not a member") }
        try info.verify(signatureKey: signer.signatureKey)
        try LeafValidation.validateTree(tree, context: context)
        guard let ownLeaf = tree.occupiedLeaves.first(where: { tree.leaf($0) == bundle.keyPackage.leafNode }) else {
            throw .invalidWelcome("the tree does not contain this key package's leaf")
        }

        var keys: TreeKEM.PrivateKeys = [ownLeaf * 2: bundle.encryptionKey]
        if let pathSecret = groupSecrets.pathSecret {
            let signerPath = Set(TreeMath.directPath(info.signer * 2, leaves: tree.leafCount))
            guard let ancestor = TreeMath.directPath(ownLeaf * 2, leaves: tree.leafCount).first(where: signerPath.contains) else {
                throw .invalidWelcome("the signer shares no ancestor with this member")
            }
            var secret = pathSecret
            for node in [ancestor] + TreeMath.directPath(ancestor, leaves: tree.leafCount) where tree[node] != nil {
                let key = try TreeKEM.nodeKey(pathSecret: secret)
                guard tree[node]?.encryptionKey == Array(key.publicKey.x963Representation) else {
                    throw .invalidWelcome("a key derived from the path secret does not match the tree")
                }
                keys[node] = key
                secret = TreeKEM.nextPathSecret(secret)
            }
        }
        let secrets = EpochSecrets(joinerSecret: groupSecrets.joinerSecret, pskSecret: pskSecret, context: context)
        guard CipherSuite.equalMACs(info.confirmationTag, secrets.confirmationTag(for: context.confirmedTranscriptHash)) else {
            throw .badMAC("confirmation tag")
        }
        self.init(context: context, tree: tree, ownLeaf: ownLeaf, secrets: secrets,
                  interimTranscriptHash: TranscriptHash.interim(confirmed: context.confirmedTranscriptHash, confirmationTag: info.confirmationTag),
                  privateKeys: keys, signatureKey: bundle.signatureKey,
                  psks: PSKStore(external: externalPSKs, groupID: context.groupID).recording(epoch: context.epoch, resumptionPSK: secrets.resumptionPSK))
    }

    /// Decrypts the GroupSecrets addressed to a key package and the GroupInfo of a Welcome; also returns the PSK secret.
    static func open(_ welcome: Welcome, keyPackageReference: [UInt8], initKey: P256.KeyAgreement.PrivateKey,
                     externalPSKs: [[UInt8]: [UInt8]]) throws(MLSError) -> (GroupSecrets, GroupInfo, [UInt8]) {
        guard let entry = welcome.secrets.first(where: { $0.newMember == keyPackageReference }) else {
            throw .invalidWelcome("it is not addressed to this key package")
        }
        let secretsBytes = try CipherSuite.decryptWithLabel(privateKey: initKey, label: "Welcome",
                                                            context: welcome.encryptedGroupInfo, ciphertext: entry.encryptedGroupSecrets)
        let groupSecrets = try GroupSecrets(tlsBytes: secretsBytes)
        for id in groupSecrets.psks {
            guard case .external = id.kind else { throw .unsupported("resumption pre-shared keys from before joining") }
        }
        let pskSecret = try PSKSecret.resolve(groupSecrets.psks, store: PSKStore(external: externalPSKs, groupID: []))
        let member = CipherSuite.extract(salt: groupSecrets.joinerSecret, ikm: pskSecret)
        let (key, nonce) = EpochSecrets.welcomeKeyAndNonce(CipherSuite.deriveSecret(secret: member, label: "welcome"))
        let info = try GroupInfo(tlsBytes: try CipherSuite.open(key: key, nonce: nonce, aad: [], ciphertext: welcome.encryptedGroupInfo))
        return (groupSecrets, info, pskSecret)
    }
}
