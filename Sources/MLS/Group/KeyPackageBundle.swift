import Crypto

/// A KeyPackage with the private keys its owner needs to join from a Welcome.
public struct KeyPackageBundle: Sendable {
    /// The public key package to hand to a committer.
    public let keyPackage: KeyPackage
    let initKey: P256.KeyAgreement.PrivateKey
    let encryptionKey: P256.KeyAgreement.PrivateKey
    let signatureKey: P256.Signing.PrivateKey

    /// Creates a fresh key package for `credential`, signed by `signatureKey`.
    public init(credential: Credential, signatureKey: P256.Signing.PrivateKey, lifetime: Lifetime = .unlimited,
                capabilities: Capabilities = .supported) throws(MLSError) {
        let initKey = P256.KeyAgreement.PrivateKey()
        let encryptionKey = P256.KeyAgreement.PrivateKey()
        var leaf = LeafNode(encryptionKey: Array(encryptionKey.publicKey.x963Representation),
                            signatureKey: Array(signatureKey.publicKey.x963Representation),
                            credential: credential, capabilities: capabilities, source: .keyPackage(lifetime),
                            extensions: [], signature: [])
        try leaf.sign(with: signatureKey, groupID: [], leafIndex: 0)
        var package = KeyPackage(version: 1, cipherSuite: CipherSuite.id, initKey: Array(initKey.publicKey.x963Representation),
                                 leafNode: leaf, extensions: [], signature: [])
        package.signature = try CipherSuite.signWithLabel(key: signatureKey, label: "KeyPackageTBS", content: package.tbs)
        self.init(unchecked: package, initKey: initKey, encryptionKey: encryptionKey, signatureKey: signatureKey)
    }

    /// Pairs an existing key package with its private keys, checking that they match.
    public init(keyPackage: KeyPackage, initKey: P256.KeyAgreement.PrivateKey, encryptionKey: P256.KeyAgreement.PrivateKey,
                signatureKey: P256.Signing.PrivateKey) throws(MLSError) {
        guard Array(initKey.publicKey.x963Representation) == keyPackage.initKey,
              Array(encryptionKey.publicKey.x963Representation) == keyPackage.leafNode.encryptionKey,
              Array(signatureKey.publicKey.x963Representation) == keyPackage.leafNode.signatureKey
        else { throw .invalidKey }
        self.init(unchecked: keyPackage, initKey: initKey, encryptionKey: encryptionKey, signatureKey: signatureKey)
    }

    private init(unchecked keyPackage: KeyPackage, initKey: P256.KeyAgreement.PrivateKey, encryptionKey: P256.KeyAgreement.PrivateKey,
                 signatureKey: P256.Signing.PrivateKey) {
        self.keyPackage = keyPackage
        self.initKey = initKey
        self.encryptionKey = encryptionKey
        self.signatureKey = signatureKey
    }
}
