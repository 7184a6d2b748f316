import Crypto
import MLS
import Testing
@testable import DAVE

@Suite struct SessionTests {
    static let channel: UInt64 = 1_234_567_890_123_456_789
    static let bot: UInt64 = 1_111_111_111_111_111_111
    static let alice: UInt64 = 2_222_222_222_222_222_222
    static let bob: UInt64 = 3_333_333_333_333_333_333
    static let opus: [UInt8] = [0xFC, 0xFF, 0xFE] + Array(1...40)

    /// After the last executed transition, every member encrypts a frame that every other member decrypts.
    static func expectEveryMemberDecryptsTheOthers(_ gateway: TestGateway, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let last = try #require(gateway.executed.last, sourceLocation: sourceLocation)
        #expect(last.version == 1, sourceLocation: sourceLocation)
        let members = last.members.filter { gateway.sessions[$0] != nil }
        #expect(members.count > 1, sourceLocation: sourceLocation)
        for sender in members {
            guard case .encrypt(var encryptor) = gateway.sessions[sender]!.media else {
                Issue.record("member \(sender) may not send audio after the transition executed", sourceLocation: sourceLocation)
                continue
            }
            var frame: [UInt8] = []
            try encryptor.encrypt(opus, into: &frame)
            for receiver in members where receiver != sender {
                var decryptor = try #require(gateway.sessions[receiver]!.frameDecryptor(for: sender), sourceLocation: sourceLocation)
                var plain: [UInt8] = []
                try decryptor.decrypt(frame, into: &plain)
                #expect(plain == opus, sourceLocation: sourceLocation)
            }
        }
        let codes = Set(members.map { gateway.sessions[$0]!.privacyCode })
        #expect(codes.count == 1, sourceLocation: sourceLocation)
        #expect(codes.first??.count == 30, sourceLocation: sourceLocation)
        #expect(Set(gateway.sessions[members.first!]!.members) == members, sourceLocation: sourceLocation)
    }

    @Test func botAloneHoldsAudioThenCommitsTheJoinerWithAWelcomeAndEncrypts() throws {
        var gateway = TestGateway(channelID: Self.channel)
        gateway.connect(Self.bot)
        #expect(gateway.received.map(\.message.opcode) == [DAVE.Session.Opcode.keyPackage])
        #expect(gateway.sessions[Self.bot]!.media.allowsAudio == false)
        #expect(gateway.executed.isEmpty)

        gateway.connect(Self.alice)
        let botCommits = gateway.received.filter { $0.user == Self.bot && $0.message.opcode == DAVE.Session.Opcode.commitWelcome }
        #expect(botCommits.count == 1)
        #expect(gateway.executed.count == 1)
        #expect(gateway.leaves == [Self.bot, Self.alice])
        #expect(gateway.refusals.isEmpty)
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
    }

    @Test func botIsWelcomedIntoAnExistingGroupAndAllThreeDecryptEachOther() throws {
        var gateway = TestGateway(channelID: Self.channel)
        gateway.connect(Self.alice)
        gateway.connect(Self.bob)
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
        gateway.connect(Self.bot)
        #expect(gateway.executed.count == 2)
        #expect(gateway.leaves.contains(Self.bot))
        #expect(gateway.received.contains { $0.user == Self.bot && $0.message == .readyForTransition(transitionID: gateway.executed[1].id) })
        #expect(gateway.refusals.isEmpty)
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
    }

    @Test func memberWhoLeavesIsRemovedAndCannotDecryptTheNextEpoch() throws {
        var gateway = TestGateway(channelID: Self.channel)
        gateway.connect(Self.bot)
        gateway.connect(Self.alice)
        gateway.connect(Self.bob)
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
        var bobsView = try #require(gateway.sessions[Self.bob]!.frameDecryptor(for: Self.bot))

        gateway.disconnect(Self.bob)
        #expect(gateway.executed.last!.members == [Self.bot, Self.alice])
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
        guard case .encrypt(var encryptor) = gateway.sessions[Self.bot]!.media else { Issue.record("bot stopped"); return }
        var frame: [UInt8] = []
        var plain: [UInt8] = []
        try encryptor.encrypt(Self.opus, into: &frame)
        #expect(throws: DAVEError.authenticationFailed) { try bobsView.decrypt(frame, into: &plain) }
    }

    @Test func soleRemainingMemberResetsHoldsAudioAndOffersAFreshKeyPackage() throws {
        var gateway = TestGateway(channelID: Self.channel)
        gateway.connect(Self.bot)
        gateway.connect(Self.alice)
        let keyPackagesBefore = gateway.received.filter { $0.user == Self.bot && $0.message.opcode == DAVE.Session.Opcode.keyPackage }.count
        gateway.disconnect(Self.alice)
        let bot = gateway.sessions[Self.bot]!
        #expect(bot.media.allowsAudio == false)
        #expect(bot.privacyCode == nil)
        #expect(bot.members.isEmpty)
        #expect(gateway.received.filter { $0.user == Self.bot && $0.message.opcode == DAVE.Session.Opcode.keyPackage }.count == keyPackagesBefore + 1)
        #expect(gateway.keyPackages[Self.bot] != nil)

        gateway.connect(Self.bob)
        #expect(gateway.leaves.contains(Self.bot) && gateway.leaves.contains(Self.bob))
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
    }

    @Test func downgradePassesAudioThroughAndUpgradeRestoresEncryption() throws {
        var gateway = TestGateway(channelID: Self.channel)
        gateway.connect(Self.bot)
        gateway.connect(Self.alice)
        try Self.expectEveryMemberDecryptsTheOthers(gateway)

        gateway.downgrade()
        #expect(gateway.executed.last!.version == 0)
        for user in [Self.bot, Self.alice] {
            guard case .passthrough = gateway.sessions[user]!.media else { Issue.record("\(user) does not pass audio through"); continue }
            #expect(gateway.sessions[user]!.protocolVersion == 0)
            #expect(gateway.sessions[user]!.privacyCode == nil)
        }

        gateway.upgrade()
        #expect(gateway.executed.count == 3)
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
    }

    @Test func invalidWelcomeIsReportedThenTheBotRejoinsWithAFreshKeyPackage() throws {
        var gateway = TestGateway(channelID: Self.channel)
        gateway.connect(Self.alice)
        gateway.connect(Self.bob)
        gateway.corruptWelcomeFor = [Self.bot]
        gateway.connect(Self.bot)
        let sent = gateway.received.filter { $0.user == Self.bot }.map(\.message)
        let invalid = try #require(sent.firstIndex { $0.opcode == DAVE.Session.Opcode.invalidCommitWelcome })
        #expect(sent[invalid + 1].opcode == DAVE.Session.Opcode.keyPackage)
        #expect(gateway.leaves.compactMap { $0 }.filter { $0 == Self.bot }.count == 1)
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
        #expect(gateway.executed.last!.members.contains(Self.bot))
    }

    @Test func sessionDescriptionWithVersionZeroPassesAudioThroughWithoutAKeyPackage() throws {
        var session = DAVE.Session(selfUserID: Self.bot, channelID: Self.channel)
        let actions = try session.handle(.sessionDescription(protocolVersion: 0))
        #expect(actions.count == 1)
        guard case .media(.passthrough) = actions.first else { Issue.record("expected passthrough, got \(actions)"); return }
        #expect(session.media.allowsAudio)
    }

    /// A session with a pending local group whose external sender is `proposer`, knowing `connected`.
    static func pendingSession(proposer: ExternalProposer, connected: [UInt64]) throws -> DAVE.Session {
        var session = DAVE.Session(selfUserID: bot, channelID: channel)
        _ = try session.handle(.clientsConnect(userIDs: connected))
        _ = try session.handle(.sessionDescription(protocolVersion: 1))
        _ = try session.handle(.externalSender(proposer.sender.tlsBytes))
        return session
    }

    static func appendPayload(_ messages: [MLSMessage]) -> [UInt8] {
        var writer = TLSWriter()
        writer.vector(messages)
        return [0] + writer.bytes
    }

    static func keyPackage(for user: UInt64) throws -> KeyPackage {
        try KeyPackageBundle(credential: .basic(identity: DAVE.Session.bigEndian(user)), signatureKey: P256.Signing.PrivateKey()).keyPackage
    }

    @Test func addsForUnannouncedOrDisconnectedUsersAreRefused() throws {
        let proposer = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        var session = try Self.pendingSession(proposer: proposer, connected: [Self.alice])
        let groupID = DAVE.Session.bigEndian(Self.channel)
        let addBob = try proposer.propose(.add(try Self.keyPackage(for: Self.bob)), groupID: groupID, epoch: 0)
        #expect(throws: DAVEError.proposalRejected("it adds user \(Self.bob), who is not connected to the media session")) {
            try session.handle(.proposals(Self.appendPayload([addBob])))
        }
        _ = try session.handle(.clientDisconnect(userID: Self.alice))
        let addAlice = try proposer.propose(.add(try Self.keyPackage(for: Self.alice)), groupID: groupID, epoch: 0)
        #expect(throws: DAVEError.self) { try session.handle(.proposals(Self.appendPayload([addAlice]))) }
    }

    @Test func proposalsFromAnotherSenderOrOfOtherTypesAreRefused() throws {
        let proposer = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        let impostor = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        var session = try Self.pendingSession(proposer: proposer, connected: [Self.alice])
        let groupID = DAVE.Session.bigEndian(Self.channel)
        let forged = try impostor.propose(.add(try Self.keyPackage(for: Self.alice)), groupID: groupID, epoch: 0)
        #expect(throws: DAVEError.mls(.badSignature)) { try session.handle(.proposals(Self.appendPayload([forged]))) }
        let psk = try proposer.propose(.preSharedKey(PreSharedKeyID(kind: .external(id: [1]), nonce: Array(repeating: 0, count: 32))),
                                       groupID: groupID, epoch: 0)
        #expect(throws: DAVEError.proposalRejected("DAVE allows only Add and Remove proposals")) {
            try session.handle(.proposals(Self.appendPayload([psk])))
        }
    }

    @Test func aSecondAddForTheSameUserIsAcceptedButItsCommitIsReportedWhenAnnounced() throws {
        let proposer = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        var session = try Self.pendingSession(proposer: proposer, connected: [Self.alice])
        let groupID = DAVE.Session.bigEndian(Self.channel)
        let first = try proposer.propose(.add(try Self.keyPackage(for: Self.alice)), groupID: groupID, epoch: 0)
        _ = try session.handle(.proposals(Self.appendPayload([first])))
        let second = try proposer.propose(.add(try Self.keyPackage(for: Self.alice)), groupID: groupID, epoch: 0)
        let actions = try session.handle(.proposals(Self.appendPayload([second])))
        guard case .send(.commitWelcome(let payload)) = actions.first else { Issue.record("expected a commit, got \(actions)"); return }
        var reader = TLSReader(payload)
        _ = try reader.read(MLSMessage.self)
        let announced = try session.handle(.announceCommit([0, 5] + payload[..<reader.position]))
        guard case .send(.invalidCommitWelcome(5)) = announced.first, case .send(.keyPackage) = announced.dropFirst().first else {
            Issue.record("expected invalid and a fresh key package, got \(announced)")
            return
        }
        #expect(session.members.isEmpty)
    }

    @Test func aReconnectingMembersAddBeforeItsRemoveIsCommittedWithoutARekey() throws {
        var gateway = TestGateway(channelID: Self.channel)
        gateway.addsBeforeRemoves = true
        gateway.connect(Self.bot)
        gateway.connect(Self.alice)
        gateway.connect(Self.bob)
        let executedBefore = gateway.executed.count
        let sentBefore = gateway.received.count

        gateway.reconnect(Self.alice)
        #expect(gateway.refusals.isEmpty)
        #expect(!gateway.received.dropFirst(sentBefore).contains { $0.message.opcode == DAVE.Session.Opcode.invalidCommitWelcome })
        #expect(gateway.executed.count == executedBefore + 1)
        #expect(gateway.members.filter { $0 == Self.alice }.count == 1)
        #expect(Set(gateway.executed.last!.members) == [Self.bot, Self.alice, Self.bob])
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
    }

    @Test func revokedProposalsLeaveNothingToCommit() throws {
        let proposer = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        var session = try Self.pendingSession(proposer: proposer, connected: [Self.alice])
        let add = try proposer.propose(.add(try Self.keyPackage(for: Self.alice)), groupID: DAVE.Session.bigEndian(Self.channel), epoch: 0)
        _ = try session.handle(.proposals(Self.appendPayload([add])))
        guard case .publicMessage(let message) = add else { Issue.record("not a PublicMessage"); return }
        let reference = CipherSuite.refHash(label: "MLS 1.0 Proposal Reference",
                                            value: AuthenticatedContent(wireFormat: .publicMessage, content: message.content, auth: message.auth).tlsBytes)
        var writer = TLSWriter()
        writer.vector([OpaqueBytes(reference)])
        #expect(try session.handle(.proposals([1] + writer.bytes)).isEmpty)
    }

    @Test func prepareTransitionZeroExecutesAtOnceWithoutReadying() throws {
        var session = DAVE.Session(selfUserID: Self.bot, channelID: Self.channel)
        _ = try session.handle(.sessionDescription(protocolVersion: 1))
        let actions = try session.handle(.prepareTransition(transitionID: 0, protocolVersion: 1))
        #expect(actions.count == 1)
        guard case .media(.hold) = actions.first else { Issue.record("expected hold, got \(actions)"); return }
    }

    @Test func jsonMessagesCarryTheOpcodeAndTransitionID() {
        #expect(DAVE.Session.Outbound.readyForTransition(transitionID: 7).jsonMessage == #"{"op":23,"d":{"transition_id":7}}"#)
        #expect(DAVE.Session.Outbound.invalidCommitWelcome(transitionID: 65535).jsonMessage == #"{"op":31,"d":{"transition_id":65535}}"#)
        #expect(DAVE.Session.Outbound.keyPackage([1, 2]).binaryMessage == [26, 1, 2])
        #expect(DAVE.Session.Outbound.readyForTransition(transitionID: 7).binaryMessage == nil)
    }

    @Test func unknownBinaryOpcodesAreRefused() {
        #expect(throws: DAVEError.unknownOpcode(26)) { try DAVE.Session.Event(binaryOpcode: 26, payload: []) }
    }
}

extension SessionTests {
    /// Resets `session` and returns a Welcome for its new key package (and `users`) into a group alice creates with `sender` as external sender.
    static func welcome(for session: inout DAVE.Session, sender: ExternalProposer, adding users: [UInt64]) throws -> [UInt8] {
        let described = try session.handle(.sessionDescription(protocolVersion: 1))
        guard case .send(.keyPackage(let bytes)) = described.first else { throw DAVEError.unexpectedMessage("no key package") }
        let key = P256.Signing.PrivateKey()
        var group = try Group(groupID: DAVE.Session.bigEndian(channel), credential: .basic(identity: DAVE.Session.bigEndian(alice)),
                              signatureKey: key, extensions: [ExternalSender.extensionFor([sender.sender])])
        for package in try [KeyPackage(tlsBytes: bytes)] + users.map(keyPackage(for:)) {
            try group.cacheProposal(try sender.propose(.add(package), groupID: group.groupID, epoch: 0))
        }
        return try #require(try group.createCommit().welcome).tlsBytes
    }

    @Test func welcomeIntoAGroupWithAnotherExternalSenderIsReportedAndAFreshKeyPackageSent() throws {
        let gateway = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        let other = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        var session = DAVE.Session(selfUserID: Self.bot, channelID: Self.channel)
        _ = try session.handle(.externalSender(gateway.sender.tlsBytes))
        let welcome = try Self.welcome(for: &session, sender: other, adding: [])
        let actions = try session.handle(.welcome([0, 5] + welcome))
        #expect(actions.count == 3)
        guard case .send(.invalidCommitWelcome(5)) = actions[0], case .send(.keyPackage) = actions[1], case .media(.hold) = actions[2] else {
            Issue.record("expected invalid, key package, hold; got \(actions)")
            return
        }
    }

    @Test func welcomeIntoAGroupListingAUserTwiceIsReported() throws {
        let gateway = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        var session = DAVE.Session(selfUserID: Self.bot, channelID: Self.channel)
        _ = try session.handle(.externalSender(gateway.sender.tlsBytes))
        let welcome = try Self.welcome(for: &session, sender: gateway, adding: [Self.bob, Self.bob])
        let actions = try session.handle(.welcome([0, 6] + welcome))
        guard case .send(.invalidCommitWelcome(6)) = actions.first else { Issue.record("expected invalid, got \(actions)"); return }

        let good = try Self.welcome(for: &session, sender: gateway, adding: [Self.bob])
        let joined = try session.handle(.welcome([0, 7] + good))
        guard case .send(.readyForTransition(7)) = joined.first else { Issue.record("expected ready, got \(joined)"); return }
        #expect(Set(session.members) == [Self.alice, Self.bot, Self.bob])
    }
}

extension SessionTests {
    @Test func unprocessableCommitIsReportedThenTheBotIsRemovedAndAddedBack() throws {
        var gateway = TestGateway(channelID: Self.channel)
        gateway.connect(Self.alice)
        gateway.connect(Self.bot)
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
        let aliceCommit = try #require(gateway.received.first { $0.user == Self.alice && $0.message.opcode == DAVE.Session.Opcode.commitWelcome })
        guard case .commitWelcome(let payload) = aliceCommit.message else { Issue.record("not a commit"); return }
        var reader = TLSReader(payload)
        _ = try reader.read(MLSMessage.self)
        let executedBefore = gateway.executed.count

        gateway.deliver(.announceCommit([0, 99] + payload[..<reader.position]), to: Self.bot)
        let sent = gateway.received.filter { $0.user == Self.bot }.map(\.message)
        let invalid = try #require(sent.firstIndex(of: .invalidCommitWelcome(transitionID: 99)))
        #expect(sent[invalid + 1].opcode == DAVE.Session.Opcode.keyPackage)
        #expect(gateway.executed.count > executedBefore)
        #expect(gateway.leaves == [Self.alice, Self.bot])
        try Self.expectEveryMemberDecryptsTheOthers(gateway)
    }
}

extension SessionTests {
    @Test func malformedProposalMessagesAreRefusedWithoutChangingTheSession() throws {
        let proposer = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [9]))
        var session = try Self.pendingSession(proposer: proposer, connected: [Self.alice])
        #expect(throws: DAVEError.malformedMessage(opcode: 27, reason: "operation 2 is neither append nor revoke")) {
            try session.handle(.proposals([2, 0]))
        }
        #expect(throws: DAVEError.malformedMessage(opcode: 27, reason: MLSError.truncated.description)) {
            try session.handle(.proposals([0, 5, 1]))
        }
        let add = try proposer.propose(.add(try Self.keyPackage(for: Self.alice)), groupID: DAVE.Session.bigEndian(Self.channel), epoch: 0)
        let actions = try session.handle(.proposals(Self.appendPayload([add])))
        #expect(actions.count == 1)
    }
}
