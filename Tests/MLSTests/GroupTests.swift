import Crypto
import Testing
@testable import MLS

/// A delivery service and its clients, driven only through the public Group API.
struct GroupHarness {
    let groupID: [UInt8] = Array("harness group".utf8)
    let gateway = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: Array("gateway".utf8)))
    /// Members by identity number; nil once removed.
    var members: [Int: Group] = [:]

    init() throws {
        members[0] = try Group(groupID: groupID, credential: Self.credential(0), signatureKey: P256.Signing.PrivateKey(),
                               extensions: [ExternalSender.extensionFor([gateway.sender])])
    }

    static func credential(_ id: Int) -> Credential { .basic(identity: withUnsafeBytes(of: UInt64(id).bigEndian) { Array($0) }) }

    /// Sends a gateway proposal through the wire encoding to every member.
    mutating func broadcast(_ proposal: Proposal) throws {
        let epoch = members.values.first!.epoch
        let wire = try gateway.propose(proposal, groupID: groupID, epoch: epoch).tlsBytes
        for id in members.keys { try members[id]!.cacheProposal(try MLSMessage(tlsBytes: wire)) }
    }

    /// Has `committer` commit every cached proposal; everyone else processes it and joiners join.
    mutating func commit(by committer: Int, joiners: [Int: KeyPackageBundle]) throws {
        let output = try members[committer]!.createCommit()
        let commitWire = output.message.tlsBytes
        for id in members.keys where id != committer {
            if try members[id]!.processCommit(try MLSMessage(tlsBytes: commitWire)) == .removedSelf { members[id] = nil }
        }
        members[committer] = output.group
        if let welcome = output.welcome {
            let welcomeWire = welcome.tlsBytes
            for (id, bundle) in joiners { members[id] = try Group(welcome: try Welcome(tlsBytes: welcomeWire), keyPackage: bundle) }
        }
    }

    /// Whether every member derives the same exporter secret and epoch authenticator in the same epoch.
    func agree() -> Bool {
        let groups = Array(members.values)
        let exports = Set(groups.map { $0.exportSecret(label: "Discord Secure Frames v0", context: [1, 2, 3, 4, 5, 6, 7, 8], length: 16) })
        return Set(groups.map(\.epochAuthenticator)).count == 1 && exports.count == 1 && Set(groups.map(\.epoch)).count == 1
    }

    func leaf(of id: Int) -> UInt32 { members[id]!.ownLeaf }
}

@Suite struct GroupTests {
    @Test(arguments: [2, 3, 5])
    func membersAddedAndRemovedThroughExternalProposalsAgreeAtEveryEpoch(size: Int) throws {
        var harness = try GroupHarness()
        #expect(harness.agree())
        for id in 1..<size {
            let bundle = try KeyPackageBundle(credential: GroupHarness.credential(id), signatureKey: P256.Signing.PrivateKey())
            try harness.broadcast(.add(bundle.keyPackage))
            try harness.commit(by: (id - 1) / 2, joiners: [id: bundle])
            #expect(harness.members.count == id + 1)
            #expect(harness.agree())
        }
        #expect(harness.members[0]!.epoch == UInt64(size - 1))
        try harness.broadcast(.remove(leaf: harness.leaf(of: size - 1)))
        try harness.commit(by: 0, joiners: [:])
        #expect(harness.members.count == size - 1)
        #expect(harness.agree())
        if size > 2 {
            try harness.broadcast(.remove(leaf: harness.leaf(of: 0)))
            try harness.commit(by: 1, joiners: [:])
            #expect(harness.members.count == size - 2)
            #expect(harness.agree())
        }
    }

    @Test func oneCommitCanAddSeveralMembers() throws {
        var harness = try GroupHarness()
        var joiners: [Int: KeyPackageBundle] = [:]
        for id in 1...3 {
            let bundle = try KeyPackageBundle(credential: GroupHarness.credential(id), signatureKey: P256.Signing.PrivateKey())
            joiners[id] = bundle
            try harness.broadcast(.add(bundle.keyPackage))
        }
        try harness.commit(by: 0, joiners: joiners)
        #expect(harness.members.count == 4)
        #expect(harness.agree())
    }

    @Test func proposalsFromAnUnknownExternalSenderAreRejected() throws {
        var harness = try GroupHarness()
        let impostor = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        let bundle = try KeyPackageBundle(credential: GroupHarness.credential(1), signatureKey: P256.Signing.PrivateKey())
        let message = try impostor.propose(.add(bundle.keyPackage), groupID: harness.groupID, epoch: 0)
        #expect(throws: MLSError.badSignature) { try harness.members[0]!.cacheProposal(message) }
        let stale = try harness.gateway.propose(.add(bundle.keyPackage), groupID: harness.groupID, epoch: 7)
        #expect(throws: MLSError.wrongGroupOrEpoch) { try harness.members[0]!.cacheProposal(stale) }
    }

    @Test func unsupportedProposalTypesAreRejectedCleanly() throws {
        var harness = try GroupHarness()
        let message = try harness.gateway.propose(.reInit(groupID: harness.groupID, version: 1, cipherSuite: 2, extensions: []),
                                                  groupID: harness.groupID, epoch: 0)
        #expect(throws: MLSError.unsupported("ReInit proposals")) { try harness.members[0]!.cacheProposal(message) }
    }
}

@Suite struct ProposalCacheTests {
    @Test func invalidAddsAndRemovesAreRejectedWhenCached() throws {
        var harness = try GroupHarness()
        var bundle = try KeyPackageBundle(credential: GroupHarness.credential(1), signatureKey: P256.Signing.PrivateKey()).keyPackage
        bundle.extensions = [Extension(type: 0xff00, data: [1])]
        let forged = try harness.gateway.propose(.add(bundle), groupID: harness.groupID, epoch: 0)
        #expect(throws: MLSError.badSignature) { try harness.members[0]!.cacheProposal(forged) }
        let removeStranger = try harness.gateway.propose(.remove(leaf: 5), groupID: harness.groupID, epoch: 0)
        #expect(throws: MLSError.invalidProposal("a Remove names a blank or missing leaf")) { try harness.members[0]!.cacheProposal(removeStranger) }
        #expect(harness.members[0]!.cachedProposals.isEmpty)
    }

    @Test func revokedProposalsAreNotCommitted() throws {
        var harness = try GroupHarness()
        let first = try KeyPackageBundle(credential: GroupHarness.credential(1), signatureKey: P256.Signing.PrivateKey())
        let second = try KeyPackageBundle(credential: GroupHarness.credential(2), signatureKey: P256.Signing.PrivateKey())
        try harness.broadcast(.add(first.keyPackage))
        let revoked = try harness.members[0]!.cacheProposal(try harness.gateway.propose(.add(second.keyPackage), groupID: harness.groupID, epoch: 0))
        harness.members[0]!.removeCachedProposals(references: [revoked])
        try harness.commit(by: 0, joiners: [1: first])
        #expect(harness.members.count == 2)
        #expect(harness.agree())
    }
}

@Suite struct ExtendedProposalTests {
    private func threeMembers() throws -> GroupHarness {
        var harness = try GroupHarness()
        for id in 1...2 {
            let bundle = try KeyPackageBundle(credential: GroupHarness.credential(id), signatureKey: P256.Signing.PrivateKey())
            try harness.broadcast(.add(bundle.keyPackage))
            try harness.commit(by: 0, joiners: [id: bundle])
        }
        return harness
    }

    @Test func groupContextExtensionsFromTheGatewayReachEveryMember() throws {
        var harness = try threeMembers()
        let extensions = [ExternalSender.extensionFor([harness.gateway.sender]), Extension(type: Extension.applicationID, data: [7])]
        try harness.broadcast(.groupContextExtensions(extensions))
        try harness.commit(by: 1, joiners: [:])
        #expect(harness.agree())
        #expect(harness.members.values.allSatisfy { $0.context.extensions == extensions })
    }

    @Test func aResumptionPSKOfAPastEpochFeedsTheKeySchedule() throws {
        var harness = try threeMembers()
        // Member 2 joined in the current epoch, so that epoch's resumption PSK is the oldest all members hold.
        let psk = PreSharedKeyID(kind: .resumption(usage: 1, groupID: harness.groupID, epoch: harness.members[0]!.epoch), nonce: [UInt8](repeating: 9, count: 32))
        try harness.broadcast(.preSharedKey(psk))
        try harness.commit(by: 2, joiners: [:])
        #expect(harness.agree())
        let unknown = PreSharedKeyID(kind: .resumption(usage: 1, groupID: harness.groupID, epoch: 99), nonce: [UInt8](repeating: 9, count: 32))
        try harness.broadcast(.preSharedKey(unknown))
        #expect(throws: MLSError.invalidValue("reference to a resumption PSK this member lacks")) { try harness.members[0]!.createCommit() }
    }
}
