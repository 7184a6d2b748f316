import Crypto

/// TreeKEM (RFC 9420 §7.4–7.6): creating and applying UpdatePaths.
enum TreeKEM {
    /// Private HPKE keys a member holds, by node index.
    typealias PrivateKeys = [UInt32: P256.KeyAgreement.PrivateKey]

    /// The HPKE key pair a path secret determines.
    static func nodeKey(pathSecret: [UInt8]) throws(MLSError) -> P256.KeyAgreement.PrivateKey {
        try CipherSuite.deriveKeyPair(ikm: CipherSuite.deriveSecret(secret: pathSecret, label: "node"))
    }

    static func nextPathSecret(_ secret: [UInt8]) -> [UInt8] { CipherSuite.deriveSecret(secret: secret, label: "path") }

    /// The result of creating an UpdatePath.
    struct Created {
        var path: UpdatePath
        var commitSecret: [UInt8]
        /// Path secrets by node index of the filtered direct path.
        var pathSecrets: [UInt32: [UInt8]]
        var privateKeys: PrivateKeys
    }

    /// Replaces the sender's leaf and direct path in `tree` and encrypts the new path secrets.
    ///
    /// `leaf` supplies credential, capabilities and extensions; its keys, source and signature are replaced.
    /// `context` maps the new tree hash to the provisional group context used for encryption.
    static func createPath(tree: inout RatchetTree, sender: UInt32, leaf template: LeafNode,
                           signer: P256.Signing.PrivateKey, groupID: [UInt8], newMembers: Set<UInt32>,
                           context: ([UInt8]) -> GroupContext) throws(MLSError) -> Created {
        let leafKey = P256.KeyAgreement.PrivateKey()
        for p in TreeMath.directPath(sender * 2, leaves: tree.leafCount) { tree[p] = nil }
        let filtered = tree.filteredDirectPath(sender)
        var secrets: [[UInt8]] = []
        var keys: PrivateKeys = [sender * 2: leafKey]
        var secret = randomBytes(CipherSuite.hashLength)
        for node in filtered {
            secrets.append(secret)
            let key = try nodeKey(pathSecret: secret)
            keys[node] = key
            tree[node] = .parent(ParentNode(encryptionKey: Array(key.publicKey.x963Representation), parentHash: [], unmergedLeaves: []))
            secret = nextPathSecret(secret)
        }
                let leafParentHash = tree.setParentHashes(along: filtered, from: sender)
        var leaf = template
        leaf.encryptionKey = Array(leafKey.publicKey.x963Representation)
        leaf.source = .commit(parentHash: leafParentHash)
        try leaf.sign(with: signer, groupID: groupID, leafIndex: sender)
        tree[sender * 2] = .leaf(leaf)
        let groupContext = context(tree.rootHash).tlsBytes
        let copath = Dictionary(uniqueKeysWithValues: zip(TreeMath.directPath(sender * 2, leaves: tree.leafCount), TreeMath.copath(sender * 2, leaves: tree.leafCount)))
        var nodes: [UpdatePathNode] = []
        for (node, secret) in zip(filtered, secrets) {
            var encrypted: [HPKECiphertext] = []
            for target in tree.resolution(copath[node]!) where !(target % 2 == 0 && newMembers.contains(target / 2)) {
                guard let key = tree[target]?.encryptionKey else { continue }
                encrypted.append(try CipherSuite.encryptWithLabel(publicKey: key, label: "UpdatePathNode", context: groupContext, plaintext: secret))
            }
            guard case .parent(let parent) = tree[node] else { continue }
            nodes.append(UpdatePathNode(encryptionKey: parent.encryptionKey, encryptedPathSecret: encrypted))
        }
        return Created(path: UpdatePath(leafNode: leaf, nodes: nodes), commitSecret: secret,
                       pathSecrets: Dictionary(uniqueKeysWithValues: zip(filtered, secrets)), privateKeys: keys)
    }

    /// The result of applying another member's UpdatePath.
    struct Applied {
        var commitSecret: [UInt8]
        /// The path secret decrypted at the lowest common ancestor.
        var pathSecret: [UInt8]
        var privateKeys: PrivateKeys
    }

    /// Merges `path` from `sender` into `tree` and decrypts it with the receiver's keys.
    static func applyPath(tree: inout RatchetTree, path: UpdatePath, sender: UInt32, receiver: UInt32,
                          privateKeys: PrivateKeys, newMembers: Set<UInt32>,
                          context: ([UInt8]) -> GroupContext) throws(MLSError) -> Applied {
        let leaves = tree.leafCount
        let copath = Dictionary(uniqueKeysWithValues: zip(TreeMath.directPath(sender * 2, leaves: leaves), TreeMath.copath(sender * 2, leaves: leaves)))
        let resolutions = tree.filteredDirectPath(sender).map { node in
            tree.resolution(copath[node]!).filter { !($0 % 2 == 0 && newMembers.contains($0 / 2)) }
        }
        let filtered = try tree.merge(path: path, sender: sender)
        let groupContext = context(tree.rootHash).tlsBytes
        var keys = privateKeys.filter { node, key in
            tree[node]?.encryptionKey == Array(key.publicKey.x963Representation)
        }
        guard let i = filtered.firstIndex(where: { TreeMath.isInSubtree(receiver * 2, of: $0) }) else {
            throw .invalidProposal("the UpdatePath does not cover the receiver")
        }
        let resolution = resolutions[i]
        guard path.nodes[i].encryptedPathSecret.count == resolution.count else {
            throw .invalidProposal("an UpdatePath node has the wrong number of encrypted path secrets")
        }
        guard let j = resolution.firstIndex(where: { keys[$0] != nil }) else {
            throw .invalidProposal("no private key is available to decrypt the UpdatePath")
        }
        var secret = try CipherSuite.decryptWithLabel(privateKey: keys[resolution[j]]!, label: "UpdatePathNode",
                                                      context: groupContext, ciphertext: path.nodes[i].encryptedPathSecret[j])
        let decrypted = secret
        for k in i..<filtered.count {
            let key = try nodeKey(pathSecret: secret)
            guard Array(key.publicKey.x963Representation) == path.nodes[k].encryptionKey else {
                throw .invalidProposal("a derived path key does not match the UpdatePath")
            }
            keys[filtered[k]] = key
            secret = nextPathSecret(secret)
        }
        return Applied(commitSecret: secret, pathSecret: decrypted, privateKeys: keys)
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }
}
