/// The secrets of one epoch (RFC 9420 §8).
public struct EpochSecrets: Sendable, Hashable {
    /// The joiner secret that starts this epoch.
    public let joinerSecret: [UInt8]
    /// Encrypts the GroupInfo in a Welcome.
    public let welcomeSecret: [UInt8]
    /// Protects sender data of private messages.
    public let senderDataSecret: [UInt8]
    /// The root of the secret tree.
    public let encryptionSecret: [UInt8]
    /// The root of MLS-Exporter.
    public let exporterSecret: [UInt8]
    /// Seeds the external HPKE key pair.
    public let externalSecret: [UInt8]
    /// Keys the confirmation tag.
    public let confirmationKey: [UInt8]
    /// Keys the membership tag.
    public let membershipKey: [UInt8]
    /// The resumption PSK.
    public let resumptionPSK: [UInt8]
    /// The epoch authenticator.
    public let epochAuthenticator: [UInt8]
    /// The init secret of the next epoch.
    public let initSecret: [UInt8]

    /// The all-zero secret used for an absent commit secret or PSK secret.
    public static let zero = [UInt8](repeating: 0, count: CipherSuite.hashLength)

    /// Derives the epoch's secrets from the previous init secret, a commit secret and the new group context.
    public init(initSecret: [UInt8], commitSecret: [UInt8], pskSecret: [UInt8] = zero, context: GroupContext) {
        let prk = CipherSuite.extract(salt: initSecret, ikm: commitSecret)
        self.init(joinerSecret: CipherSuite.expandWithLabel(secret: prk, label: "joiner", context: context.tlsBytes, length: CipherSuite.hashLength),
                  pskSecret: pskSecret, context: context)
    }

    /// Derives the epoch's secrets from a joiner secret, as a new member does.
    public init(joinerSecret: [UInt8], pskSecret: [UInt8] = zero, context: GroupContext) {
        let member = CipherSuite.extract(salt: joinerSecret, ikm: pskSecret)
        let epoch = CipherSuite.expandWithLabel(secret: member, label: "epoch", context: context.tlsBytes, length: CipherSuite.hashLength)
        func derive(_ label: String) -> [UInt8] { CipherSuite.deriveSecret(secret: epoch, label: label) }
        self.joinerSecret = joinerSecret
        welcomeSecret = CipherSuite.deriveSecret(secret: member, label: "welcome")
        senderDataSecret = derive("sender data")
        encryptionSecret = derive("encryption")
        exporterSecret = derive("exporter")
        externalSecret = derive("external")
        confirmationKey = derive("confirm")
        membershipKey = derive("membership")
        resumptionPSK = derive("resumption")
        epochAuthenticator = derive("authentication")
        initSecret = derive("init")
    }

    /// MLS-Exporter(label, context, length) (RFC 9420 §8.5).
    public func export(label: [UInt8], context: [UInt8], length: Int) -> [UInt8] {
        let derived = CipherSuite.deriveSecret(secret: exporterSecret, label: label)
        return CipherSuite.expandWithLabel(secret: derived, label: "exported", context: CipherSuite.hash(context), length: length)
    }

    /// The public key derived from the external secret, in uncompressed SEC1 form.
    public func externalPublicKey() throws(MLSError) -> [UInt8] {
        Array(try CipherSuite.deriveKeyPair(ikm: externalSecret).publicKey.x963Representation)
    }

    /// The confirmation tag over a confirmed transcript hash.
    func confirmationTag(for confirmedTranscriptHash: [UInt8]) -> [UInt8] {
        CipherSuite.mac(key: confirmationKey, data: confirmedTranscriptHash)
    }

    /// The key and nonce that protect a Welcome's GroupInfo.
    static func welcomeKeyAndNonce(_ welcomeSecret: [UInt8]) -> (key: [UInt8], nonce: [UInt8]) {
        (CipherSuite.expandWithLabel(secret: welcomeSecret, label: "key", context: [], length: CipherSuite.aeadKeyLength),
         CipherSuite.expandWithLabel(secret: welcomeSecret, label: "nonce", context: [], length: CipherSuite.aeadNonceLength))
    }
}

/// Confirmed and interim transcript hashes (RFC 9420 §8.2).
enum TranscriptHash {
    /// Hash(interim || ConfirmedTranscriptHashInput).
    static func confirmed(interim: [UInt8], content: AuthenticatedContent) -> [UInt8] {
        CipherSuite.hash(interim + content.confirmedTranscriptHashInput)
    }

    /// Hash(confirmed || InterimTranscriptHashInput).
    static func interim(confirmed: [UInt8], confirmationTag: [UInt8]) -> [UInt8] {
        var w = TLSWriter()
        w.opaque(confirmationTag)
        return CipherSuite.hash(confirmed + w.bytes)
    }
}

/// The PSK secret that combines pre-shared keys into the key schedule (RFC 9420 §8.4).
enum PSKSecret {
    /// The PSK secret for `ids`, each looked up in `store`.
    static func resolve(_ ids: [PreSharedKeyID], store: PSKStore) throws(MLSError) -> [UInt8] {
        guard ids.count <= Int(UInt16.max) else { throw .invalidValue("number of pre-shared keys") }
        var psks: [(id: PreSharedKeyID, secret: [UInt8])] = []
        for id in ids { psks.append((id, try store.secret(for: id))) }
        return combine(psks)
    }

    /// Chains each PSK, labeled with its identifier, position and the count, into one secret.
    static func combine(_ psks: [(id: PreSharedKeyID, secret: [UInt8])]) -> [UInt8] {
        var combined = EpochSecrets.zero
        for (index, psk) in psks.enumerated() {
            var label = TLSWriter()
            label.write(psk.id)
            label.u16(UInt16(index))
            label.u16(UInt16(psks.count))
            let extracted = CipherSuite.extract(salt: EpochSecrets.zero, ikm: psk.secret)
            let input = CipherSuite.expandWithLabel(secret: extracted, label: "derived psk", context: label.bytes, length: CipherSuite.hashLength)
            combined = CipherSuite.extract(salt: input, ikm: combined)
        }
        return combined
    }
}

/// The pre-shared keys a member can use: external PSKs by identifier and its group's recent resumption PSKs.
struct PSKStore: Sendable {
    /// How many epochs of resumption PSKs are kept.
    static let keptEpochs: UInt64 = 8

    var external: [[UInt8]: [UInt8]]
    var groupID: [UInt8]
    var resumption: [UInt64: [UInt8]] = [:]

    /// The store with `epoch`'s resumption PSK added and epochs beyond the window dropped.
    func recording(epoch: UInt64, resumptionPSK: [UInt8]) -> PSKStore {
        var next = self
        next.resumption[epoch] = resumptionPSK
        next.resumption = next.resumption.filter { $0.key > epoch || epoch - $0.key < Self.keptEpochs }
        return next
    }

    /// The secret a PSK identifier names.
    func secret(for id: PreSharedKeyID) throws(MLSError) -> [UInt8] {
        switch id.kind {
        case .external(let name):
            guard let secret = external[name] else { throw .invalidValue("reference to an external PSK this member lacks") }
            return secret
        case .resumption(let usage, let group, let epoch):
            guard usage == 1 else { throw .unsupported("re-initialization and branch resumption pre-shared keys") }
            guard group == groupID, let secret = resumption[epoch] else { throw .invalidValue("reference to a resumption PSK this member lacks") }
            return secret
        }
    }
}
