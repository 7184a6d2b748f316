import Crypto
import MLS
import Testing
@testable import DAVE

@Suite struct HashRatchetTests {
    struct SecretTree: Decodable {
        struct Generation: Decodable {
            let generation: UInt32, application_key: String
        }
        let cipher_suite: Int
        let encryption_secret: String
        let leaves: [[Generation]]
    }

    @Test func ratchetKeysMatchMLSSecretTreeApplicationKeys() throws {
        let entry = try #require(
            Vectors.mls("secret-tree", as: SecretTree.self).first { $0.cipher_suite == 2 && $0.leaves.count == 1 })
        let applicationBase = SymmetricKey(data: CipherSuite.expandWithLabel(
            secret: [UInt8](hex: entry.encryption_secret), label: "application", context: [], length: 32))
        var ratchet = DAVE.HashRatchet(baseSecret: applicationBase)
        for vector in entry.leaves[0] {
            #expect(try ratchet.key(for: vector.generation).bytes.hex == vector.application_key)
            #expect(ratchet.generation == vector.generation)
        }
    }

    @Test func ratchetRefusesErasedGenerations() throws {
        var ratchet = DAVE.HashRatchet(baseSecret: SymmetricKey(data: [UInt8](repeating: 7, count: 16)))
        _ = try ratchet.key(for: 3)
        #expect(throws: DAVEError.expiredGeneration(2)) { try ratchet.key(for: 2) }
        #expect(try ratchet.key(for: 3) == ratchet.currentKey)
    }

    @Test func ratchetKeyForGenerationOneMatchesIndependentReference() throws {
        var ratchet = DAVE.HashRatchet(baseSecret: SymmetricKey(data: Array(0..<16) as [UInt8]))
        // Tests/Interop/frame_reference.py: "key g=1".
        #expect(try ratchet.key(for: 1).bytes.hex == "9cddc08f0c8a7cfecabfe757dc33b039")
    }
}
