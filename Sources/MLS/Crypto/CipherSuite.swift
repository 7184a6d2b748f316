import Crypto
import Foundation

/// The primitives of cipher suite 2, MLS_128_DHKEMP256_AES128GCM_SHA256_P256 (RFC 9420 §5.1).
public enum CipherSuite {
    /// The IANA value of the one supported cipher suite.
    public static let id: UInt16 = 2
    /// Hash output length `Nh`.
    public static let hashLength = 32
    /// AEAD key length `Nk`.
    public static let aeadKeyLength = 16
    /// AEAD nonce length `Nn`.
    public static let aeadNonceLength = 12

    private static let hpkeSuite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)

    /// SHA-256 of `data`.
    public static func hash(_ data: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: data)) }

    /// HMAC-SHA256 of `data` under `key`.
    public static func mac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// HKDF-Extract with SHA-256.
    public static func extract(salt: [UInt8], ikm: [UInt8]) -> [UInt8] {
        HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: ikm), salt: salt).withUnsafeBytes { Array($0) }
    }

    /// HKDF-Expand with SHA-256.
    public static func expand(prk: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        HKDF<SHA256>.expand(pseudoRandomKey: SymmetricKey(data: prk), info: info, outputByteCount: length)
            .withUnsafeBytes { Array($0) }
    }

    private static func labeled(_ label: String) -> [UInt8] { labeled(Array(label.utf8)) }

    private static func labeled(_ label: [UInt8]) -> [UInt8] { Array("MLS 1.0 ".utf8) + label }

    /// ExpandWithLabel (RFC 9420 §5.1).
    public static func expandWithLabel(secret: [UInt8], label: String, context: [UInt8], length: Int) -> [UInt8] {
        expandWithLabel(secret: secret, label: Array(label.utf8), context: context, length: length)
    }

    /// ExpandWithLabel (RFC 9420 §5.1) with a label given as bytes.
    public static func expandWithLabel(secret: [UInt8], label: [UInt8], context: [UInt8], length: Int) -> [UInt8] {
        var w = TLSWriter()
        w.u16(UInt16(length))
        w.opaque(labeled(label))
        w.opaque(context)
        return expand(prk: secret, info: w.bytes, length: length)
    }

    /// DeriveSecret (RFC 9420 §5.1).
    public static func deriveSecret(secret: [UInt8], label: String) -> [UInt8] {
        expandWithLabel(secret: secret, label: label, context: [], length: hashLength)
    }

    /// DeriveSecret (RFC 9420 §5.1) with a label given as bytes.
    public static func deriveSecret(secret: [UInt8], label: [UInt8]) -> [UInt8] {
        expandWithLabel(secret: secret, label: label, context: [], length: hashLength)
    }

    /// DeriveTreeSecret (RFC 9420 §9.1): the generation is the context as a big-endian `uint32`.
    public static func deriveTreeSecret(secret: [UInt8], label: String, generation: UInt32, length: Int) -> [UInt8] {
        var w = TLSWriter()
        w.u32(generation)
        return expandWithLabel(secret: secret, label: label, context: w.bytes, length: length)
    }

    /// RefHash (RFC 9420 §5.2).
    public static func refHash(label: String, value: [UInt8]) -> [UInt8] {
        var w = TLSWriter()
        w.opaque(Array(label.utf8))
        w.opaque(value)
        return hash(w.bytes)
    }

    private static func signContent(label: String, content: [UInt8]) -> [UInt8] {
        var w = TLSWriter()
        w.opaque(labeled(label))
        w.opaque(content)
        return w.bytes
    }

    /// SignWithLabel (RFC 9420 §5.1.2): an ECDSA P-256 SHA-256 signature in DER.
    public static func signWithLabel(key: P256.Signing.PrivateKey, label: String, content: [UInt8]) throws(MLSError) -> [UInt8] {
        do {
            return Array(try key.signature(for: signContent(label: label, content: content)).derRepresentation)
        } catch {
            throw .invalidKey
        }
    }

    /// VerifyWithLabel (RFC 9420 §5.1.2); throws `badSignature` when it does not verify.
    public static func verifyWithLabel(publicKey: [UInt8], label: String, content: [UInt8], signature: [UInt8]) throws(MLSError) {
        let key = try signaturePublicKey(publicKey)
        guard let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature),
              key.isValidSignature(sig, for: signContent(label: label, content: content))
        else { throw .badSignature }
    }

    /// Parses an uncompressed SEC1 P-256 signature public key.
    public static func signaturePublicKey(_ bytes: [UInt8]) throws(MLSError) -> P256.Signing.PublicKey {
        guard let key = try? P256.Signing.PublicKey(x963Representation: bytes) else { throw .invalidKey }
        return key
    }

    /// Parses a P-256 signature private key from its 32-byte scalar.
    public static func signaturePrivateKey(_ bytes: [UInt8]) throws(MLSError) -> P256.Signing.PrivateKey {
        guard let key = try? P256.Signing.PrivateKey(rawRepresentation: bytes) else { throw .invalidKey }
        return key
    }

    /// Parses an uncompressed SEC1 P-256 HPKE public key.
    public static func hpkePublicKey(_ bytes: [UInt8]) throws(MLSError) -> P256.KeyAgreement.PublicKey {
        guard let key = try? P256.KeyAgreement.PublicKey(x963Representation: bytes) else { throw .invalidKey }
        return key
    }

    /// Parses a P-256 HPKE private key from its 32-byte scalar.
    public static func hpkePrivateKey(_ bytes: [UInt8]) throws(MLSError) -> P256.KeyAgreement.PrivateKey {
        guard let key = try? P256.KeyAgreement.PrivateKey(rawRepresentation: bytes) else { throw .invalidKey }
        return key
    }

    private static func encryptContext(label: String, context: [UInt8]) -> Data {
        var w = TLSWriter()
        w.opaque(labeled(label))
        w.opaque(context)
        return Data(w.bytes)
    }

    /// EncryptWithLabel (RFC 9420 §5.1.3): HPKE base mode; returns the KEM output and ciphertext.
    public static func encryptWithLabel(publicKey: [UInt8], label: String, context: [UInt8], plaintext: [UInt8]) throws(MLSError) -> HPKECiphertext {
        let key = try hpkePublicKey(publicKey)
        do {
            var sender = try HPKE.Sender(recipientKey: key, ciphersuite: hpkeSuite, info: encryptContext(label: label, context: context))
            let ct = try sender.seal(plaintext, authenticating: Data())
            return HPKECiphertext(kemOutput: Array(sender.encapsulatedKey), ciphertext: Array(ct))
        } catch {
            throw .invalidKey
        }
    }

    /// DecryptWithLabel (RFC 9420 §5.1.3).
    public static func decryptWithLabel(privateKey: P256.KeyAgreement.PrivateKey, label: String, context: [UInt8], ciphertext: HPKECiphertext) throws(MLSError) -> [UInt8] {
        do {
            var recipient = try HPKE.Recipient(privateKey: privateKey, ciphersuite: hpkeSuite,
                                               info: encryptContext(label: label, context: context),
                                               encapsulatedKey: Data(ciphertext.kemOutput))
            return Array(try recipient.open(ciphertext.ciphertext, authenticating: Data()))
        } catch {
            throw .decryptionFailed
        }
    }

    /// The order of the P-256 group, big-endian.
    private static let p256Order: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ]

    /// DeriveKeyPair for DHKEM(P-256, HKDF-SHA256) (RFC 9180 §7.1.3).
    public static func deriveKeyPair(ikm: [UInt8]) throws(MLSError) -> P256.KeyAgreement.PrivateKey {
        let suiteID = Array("KEM".utf8) + [0x00, 0x10]
        let prefix = Array("HPKE-v1".utf8) + suiteID
        let prk = extract(salt: [], ikm: prefix + Array("dkp_prk".utf8) + ikm)
        for counter in 0...255 {
            let info: [UInt8] = [0x00, 0x20] + prefix + Array("candidate".utf8) + [UInt8(counter)]
            let candidate = expand(prk: prk, info: info, length: 32)
            let isZero = candidate.allSatisfy { $0 == 0 }
            if !isZero, candidate.lexicographicallyPrecedes(p256Order) {
                return try hpkePrivateKey(candidate)
            }
        }
        throw .invalidKey
    }

    /// Encrypts with AES-128-GCM; returns ciphertext followed by the 16-byte tag.
    public static func seal(key: [UInt8], nonce: [UInt8], aad: [UInt8], plaintext: [UInt8]) throws(MLSError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: key), nonce: AES.GCM.Nonce(data: nonce), authenticating: aad)
            return Array(box.ciphertext) + Array(box.tag)
        } catch {
            throw .invalidKey
        }
    }

    /// Decrypts AES-128-GCM ciphertext followed by its 16-byte tag.
    public static func open(key: [UInt8], nonce: [UInt8], aad: [UInt8], ciphertext: [UInt8]) throws(MLSError) -> [UInt8] {
        guard ciphertext.count >= 16 else { throw .decryptionFailed }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext.dropLast(16), tag: ciphertext.suffix(16))
            return Array(try AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: aad))
        } catch {
            throw .decryptionFailed
        }
    }

    /// Compares two MACs in constant time.
    static func equalMACs(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

/// `HPKECiphertext` (RFC 9420 §5.1.3): a KEM output and an AEAD ciphertext.
public struct HPKECiphertext: TLSCodable, Hashable {
    /// The encapsulated key.
    public var kemOutput: [UInt8]
    /// The sealed plaintext.
    public var ciphertext: [UInt8]

    /// Creates a ciphertext from its parts.
    public init(kemOutput: [UInt8], ciphertext: [UInt8]) {
        self.kemOutput = kemOutput
        self.ciphertext = ciphertext
    }

    public func encode(to writer: inout TLSWriter) {
        writer.opaque(kemOutput)
        writer.opaque(ciphertext)
    }

    public init(from reader: inout TLSReader) throws(MLSError) {
        kemOutput = try reader.opaque()
        ciphertext = try reader.opaque()
    }
}
