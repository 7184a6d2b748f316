import Crypto

/// A non-member allowed by a group's `external_senders` extension to send proposals (for example a delivery service).
public struct ExternalProposer: Sendable {
    /// The proposer's entry in `external_senders`.
    public let sender: ExternalSender
    private let signatureKey: P256.Signing.PrivateKey

    /// Creates a proposer signing with `signatureKey` under `credential`.
    public init(signatureKey: P256.Signing.PrivateKey, credential: Credential) {
        self.signatureKey = signatureKey
        sender = ExternalSender(signatureKey: Array(signatureKey.publicKey.x963Representation), credential: credential)
    }

    /// A signed PublicMessage carrying `proposal` from external sender `index` for a group's epoch.
    public func propose(_ proposal: Proposal, groupID: [UInt8], epoch: UInt64, senderIndex: UInt32 = 0) throws(MLSError) -> MLSMessage {
        let content = FramedContent(groupID: groupID, epoch: epoch, sender: .external(senderIndex), authenticatedData: [], content: .proposal(proposal))
        let signature = try CipherSuite.signWithLabel(key: signatureKey, label: "FramedContentTBS", content: content.tbs(wireFormat: .publicMessage, context: nil))
        return .publicMessage(PublicMessage(content: content, auth: FramedContentAuthData(signature: signature, confirmationTag: nil), membershipTag: nil))
    }
}
