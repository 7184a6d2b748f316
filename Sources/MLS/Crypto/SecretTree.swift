/// The secret tree (RFC 9420 §9): per-leaf handshake and application ratchets derived from the encryption secret.
public enum SecretTree {
    /// The secret of a leaf, derived down the tree from `encryptionSecret`.
    public static func leafSecret(encryptionSecret: [UInt8], leaf: UInt32, leafCount: UInt32) -> [UInt8] {
        var node = TreeMath.root(leafCount)
        var secret = encryptionSecret
        let target = leaf * 2
        while node != target {
            let goLeft = target < node
            secret = CipherSuite.expandWithLabel(secret: secret, label: "tree", context: Array((goLeft ? "left" : "right").utf8), length: CipherSuite.hashLength)
            node = (goLeft ? TreeMath.left(node) : TreeMath.right(node))!
        }
        return secret
    }

    /// The key and nonce protecting sender data, derived from a ciphertext sample (RFC 9420 §6.3.2).
    public static func senderDataKeyAndNonce(senderDataSecret: [UInt8], ciphertext: [UInt8]) -> (key: [UInt8], nonce: [UInt8]) {
        let sample = Array(ciphertext.prefix(CipherSuite.hashLength))
        return (CipherSuite.expandWithLabel(secret: senderDataSecret, label: "key", context: sample, length: CipherSuite.aeadKeyLength),
                CipherSuite.expandWithLabel(secret: senderDataSecret, label: "nonce", context: sample, length: CipherSuite.aeadNonceLength))
    }
}

/// A symmetric hash ratchet (RFC 9420 §9.1): yields one key and nonce per generation.
public struct HashRatchet: Sendable {
    /// The generation whose key `secret` yields next.
    public private(set) var generation: UInt32 = 0
    private var secret: [UInt8]

    /// Starts a ratchet from a leaf's handshake or application secret.
    public init(secret: [UInt8]) { self.secret = secret }

    /// Starts the handshake (`"handshake"`) or application (`"application"`) ratchet of a leaf secret.
    public init(leafSecret: [UInt8], label: String) {
        secret = CipherSuite.expandWithLabel(secret: leafSecret, label: label, context: [], length: CipherSuite.hashLength)
    }

    /// The key and nonce of the current generation.
    public var keyAndNonce: (key: [UInt8], nonce: [UInt8]) {
        (CipherSuite.deriveTreeSecret(secret: secret, label: "key", generation: generation, length: CipherSuite.aeadKeyLength),
         CipherSuite.deriveTreeSecret(secret: secret, label: "nonce", generation: generation, length: CipherSuite.aeadNonceLength))
    }

    /// Moves to the next generation, forgetting the current secret.
    public mutating func advance() {
        secret = CipherSuite.deriveTreeSecret(secret: secret, label: "secret", generation: generation, length: CipherSuite.hashLength)
        generation += 1
    }
}
