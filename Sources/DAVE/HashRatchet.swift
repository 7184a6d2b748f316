import Crypto
import MLS

extension DAVE {
    /// A sender's media key ratchet: the MLS hash ratchet (RFC 9420 §9.1, DeriveTreeSecret)
    /// seeded with the sender's exported base secret.
    ///
    /// The ratchet only moves forward; asking for a generation erases every earlier one.
    public struct HashRatchet: Sendable {
        /// The generation whose secret the ratchet currently holds.
        public private(set) var generation: UInt32
        private var secret: [UInt8]

        /// Starts a ratchet at generation 0 from `MLS-Exporter("Discord Secure Frames v0", user id, 16)`.
        public init(baseSecret: SymmetricKey) {
            self.generation = 0
            self.secret = baseSecret.withUnsafeBytes { Array($0) }
        }

        /// The AES-128 key of the current generation.
        public var currentKey: SymmetricKey {
            SymmetricKey(data: CipherSuite.deriveTreeSecret(secret: secret, label: "key", generation: generation, length: 16))
        }

        /// The AES-128 key for `generation`, ratcheting forward to it first.
        public mutating func key(for generation: UInt32) throws(DAVEError) -> SymmetricKey {
            guard generation >= self.generation else { throw .expiredGeneration(generation) }
            while self.generation < generation {
                secret = CipherSuite.deriveTreeSecret(
                    secret: secret, label: "secret", generation: self.generation, length: CipherSuite.hashLength)
                self.generation += 1
            }
            return currentKey
        }
    }
}
