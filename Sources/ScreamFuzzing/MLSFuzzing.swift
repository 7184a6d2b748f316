import MLS

/// The `mls` target: the first byte picks a decoder (``Kind``), the rest is the TLS encoding.
///
/// Every value that decodes must re-encode to exactly the input (the encodings are canonical:
/// minimal lengths, presence bytes 0 or 1) and decode again to an equal value; decoded key
/// packages, trees and groups are then used the way a member would use them.
enum MLSFuzzing {
    /// What the body after the first byte is.
    enum Kind: UInt8, CaseIterable {
        case message, welcome, groupInfo, keyPackage, commit, proposal, ratchetTree, leafNode, groupSecrets, externalSender
        /// A passive client: private keys, key package, Welcome, optional tree, PSKs, then epochs of proposals and a commit.
        case passive
    }

    static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        switch Kind(rawValue: first % UInt8(Kind.allCases.count))! {
        case .message:
            if case .keyPackage(let package) = roundTrip(MLSMessage.self, body) { _ = try? package.validate() }
        case .welcome: _ = roundTrip(Welcome.self, body)
        case .groupInfo: _ = roundTrip(GroupInfo.self, body)
        case .keyPackage:
            if let package = roundTrip(KeyPackage.self, body) {
                _ = try? package.validate()
                _ = package.reference
            }
        case .commit: _ = roundTrip(Commit.self, body)
        case .proposal: _ = roundTrip(Proposal.self, body)
        case .ratchetTree:
            if let tree = roundTrip(RatchetTree.self, body) { walk(tree) }
        case .leafNode: _ = roundTrip(LeafNode.self, body)
        case .groupSecrets: _ = roundTrip(GroupSecrets.self, body)
        case .externalSender: _ = roundTrip(ExternalSender.self, body)
        case .passive: _ = try? PassiveClient(body).follow()
        }
    }

    /// Decodes `bytes` as a `T`; checks that it re-encodes to the same bytes and decodes to an equal value.
    static func roundTrip<T: TLSCodable & Equatable>(_: T.Type, _ bytes: [UInt8]) -> T? {
        guard let value = try? T(tlsBytes: bytes) else { return nil }
        let encoded = value.tlsBytes
        precondition(encoded == bytes, "\(T.self) re-encodes to other bytes than it was decoded from")
        precondition((try? T(tlsBytes: encoded)) == value, "\(T.self) does not decode to the value it was encoded from")
        return value
    }

    /// Hashes the tree and walks every member's filtered direct path, as a committer would.
    static func walk(_ tree: RatchetTree) {
        _ = tree.rootHash
        for leaf in tree.occupiedLeaves { _ = tree.filteredDirectPath(leaf) }
    }

    /// The passive client of RFC 9420's test vectors, read from fuzzed bytes.
    struct PassiveClient {
        let bundle: KeyPackageBundle
        let welcome: Welcome
        let tree: RatchetTree?
        let psks: [[UInt8]: [UInt8]]
        /// Each epoch's proposal messages and commit message, undecoded.
        let epochs: [(proposals: [[UInt8]], commit: [UInt8])]

        init(_ bytes: [UInt8]) throws(MLSError) {
            var reader = TLSReader(bytes)
            let initKey = try CipherSuite.hpkePrivateKey(try reader.opaque())
            let encryptionKey = try CipherSuite.hpkePrivateKey(try reader.opaque())
            let signatureKey = try CipherSuite.signaturePrivateKey(try reader.opaque())
            guard case .keyPackage(let keyPackage) = try reader.read(MLSMessage.self),
                  case .welcome(let welcome) = try reader.read(MLSMessage.self)
            else { throw .invalidValue("passive client script") }
            bundle = try KeyPackageBundle(keyPackage: keyPackage, initKey: initKey, encryptionKey: encryptionKey, signatureKey: signatureKey)
            self.welcome = welcome
            tree = try reader.optional(of: RatchetTree.self)
            let pskList = try reader.vector(of: OpaqueBytes.self)
            var psks: [[UInt8]: [UInt8]] = [:]
            for pair in stride(from: 0, to: pskList.count - 1, by: 2) { psks[pskList[pair].bytes] = pskList[pair + 1].bytes }
            self.psks = psks
            var epochs: [(proposals: [[UInt8]], commit: [UInt8])] = []
            while !reader.isAtEnd {
                let proposals = try reader.vector(of: OpaqueBytes.self).map(\.bytes)
                let commit = try reader.opaque()
                epochs.append((proposals, commit))
            }
            self.epochs = epochs
        }

        /// Joins from the Welcome, then caches each epoch's proposals and processes its commit.
        func follow() throws(MLSError) {
            var group = try Group(welcome: welcome, keyPackage: bundle, ratchetTree: tree, externalPSKs: psks)
            MLSFuzzing.walk(group.tree)
            for epoch in epochs {
                for proposal in epoch.proposals {
                    guard let message = try? MLSMessage(tlsBytes: proposal) else { continue }
                    _ = try? group.cacheProposal(message)
                }
                guard let commit = try? MLSMessage(tlsBytes: epoch.commit), let effect = try? group.processCommit(commit) else { continue }
                if effect == .removedSelf { return }
                MLSFuzzing.walk(group.tree)
                _ = group.exportSecret(label: "fuzz", context: [], length: 16)
            }
        }
    }
}
