import Crypto
import DAVE
import MLS

/// The voice gateway's DAVE side for one channel, built on MLS's public API: delivery service
/// and external sender. It exchanges the real byte payloads with `DAVE.Session`s through a FIFO
/// queue, following Tests/Interop/dave_gateway.py (first commit per epoch wins, Welcomes to the
/// added, ready/execute transitions, Remove on disconnect or invalid report, sole member reset).
struct TestGateway {
    /// An external proposal sent to some members in the current epoch.
    struct SentProposal {
        let message: MLSMessage
        let reference: [UInt8]
        let isAdd: Bool
        let user: UInt64
    }

    /// A transition waiting for members to be ready.
    struct PendingTransition {
        let id: UInt16
        let version: UInt16
        var waiting: Set<UInt64>
        var members: Set<UInt64>
    }

    enum Item {
        case toClient(UInt64, DAVE.Session.Event)
        case fromClient(UInt64, DAVE.Session.Outbound)
    }

    let channelID: UInt64
    let proposer = ExternalProposer(signatureKey: P256.Signing.PrivateKey(), credential: .basic(identity: [0, 0, 0, 0, 0, 0, 0, 1]))
    var protocolVersion: UInt16 = 1
    var sessions: [UInt64: DAVE.Session] = [:]
    var keyPackages: [UInt64: KeyPackage] = [:]
    var established = false
    var epoch: UInt64 = 0
    var leaves: [UInt64?] = []
    var stale: Set<UInt64> = []
    var sent: [UInt64: [SentProposal]] = [:]
    var pendingAdds: [(user: UInt64, proposal: SentProposal)] = []
    var transition: PendingTransition?
    var nextTransitionID: UInt16 = 1
    /// Executed transitions: id, protocol version, members.
    var executed: [(id: UInt16, version: UInt16, members: Set<UInt64>)] = []
    /// Errors sessions threw for events they refused.
    var refusals: [(user: UInt64, error: DAVEError)] = []
    /// What the clients sent, in order.
    var received: [(user: UInt64, message: DAVE.Session.Outbound)] = []
    /// Commits ignored because they did not reference every proposal their committer had been sent by then.
    var staleCommits = 0
    /// Damage the next Welcome for these users.
    var corruptWelcomeFor: Set<UInt64> = []
    /// When a member offers a new key package, propose its Add before the Remove of its old leaf
    /// (each in its own opcode 27), as a quick reconnect can make Discord do.
    var addsBeforeRemoves = false
    private var queue: [Item] = []

    init(channelID: UInt64) {
        self.channelID = channelID
    }

    var groupID: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: channelID >> (56 - 8 * $0)) } }
    var members: [UInt64] { leaves.compactMap { $0 } }
    var liveMembers: [UInt64] { members.filter { sessions[$0] != nil && !stale.contains($0) } }

    // MARK: connection lifecycle

    mutating func connect(_ user: UInt64) {
        let others = Array(sessions.keys)
        sessions[user] = DAVE.Session(selfUserID: user, channelID: channelID)
        if !others.isEmpty { queue.append(.toClient(user, .clientsConnect(userIDs: others))) }
        for other in others { queue.append(.toClient(other, .clientsConnect(userIDs: [user]))) }
        queue.append(.toClient(user, .sessionDescription(protocolVersion: protocolVersion)))
        if protocolVersion > 0 { queue.append(.toClient(user, .externalSender(proposer.sender.tlsBytes))) }
        pump()
    }

    /// The user's client reconnects at once: a fresh session takes its place while its old leaf is
    /// still in the group; the others hear of no disconnect.
    mutating func reconnect(_ user: UInt64) {
        let others = sessions.keys.filter { $0 != user }
        sessions[user] = DAVE.Session(selfUserID: user, channelID: channelID)
        if !others.isEmpty { queue.append(.toClient(user, .clientsConnect(userIDs: Array(others)))) }
        queue.append(.toClient(user, .sessionDescription(protocolVersion: protocolVersion)))
        if protocolVersion > 0 { queue.append(.toClient(user, .externalSender(proposer.sender.tlsBytes))) }
        pump()
    }

    mutating func disconnect(_ user: UInt64) {
        guard sessions.removeValue(forKey: user) != nil else { return }
        for other in sessions.keys { queue.append(.toClient(other, .clientDisconnect(userID: user))) }
        keyPackages[user] = nil
        revokeAdds(for: user)
        transition?.waiting.remove(user)
        transition?.members.remove(user)
        if members.contains(user) { proposeRemove(user) }
        maybeExecute()
        pump()
    }

    /// Moves the channel to protocol version 0.
    mutating func downgrade() {
        let id = newTransitionID()
        let everyone = Set(sessions.keys)
        protocolVersion = 0
        forgetGroup()
        keyPackages = [:]
        transition = PendingTransition(id: id, version: 0, waiting: everyone, members: everyone)
        for user in everyone { queue.append(.toClient(user, .prepareTransition(transitionID: id, protocolVersion: 0))) }
        pump()
    }

    /// Moves the channel back to protocol version 1 by re-creating the group from epoch 1.
    mutating func upgrade() {
        protocolVersion = 1
        for user in sessions.keys {
            queue.append(.toClient(user, .externalSender(proposer.sender.tlsBytes)))
            queue.append(.toClient(user, .prepareEpoch(epoch: 1, protocolVersion: 1)))
        }
        pump()
    }

    /// Delivers an event to one client directly (for tests of refusals).
    mutating func deliver(_ event: DAVE.Session.Event, to user: UInt64) {
        queue.append(.toClient(user, event))
        pump()
    }

    // MARK: the queue

    private mutating func pump() {
        var steps = 0
        while !queue.isEmpty {
            steps += 1
            precondition(steps < 10_000, "the gateway and sessions keep exchanging messages")
            switch queue.removeFirst() {
            case .toClient(let user, let event):
                guard var session = sessions[user] else { continue }
                do {
                    for case .send(let message) in try session.handle(event) { queue.append(.fromClient(user, message)) }
                } catch {
                    refusals.append((user, error))
                }
                sessions[user] = session
            case .fromClient(let user, let message):
                guard sessions[user] != nil else { continue }
                received.append((user, message))
                switch message {
                case .keyPackage(let bytes): onKeyPackage(user, try! KeyPackage(tlsBytes: bytes))
                case .commitWelcome(let bytes): onCommit(user, bytes)
                case .readyForTransition(let id): onReady(user, id)
                case .invalidCommitWelcome: onInvalid(user)
                }
            }
        }
    }

    // MARK: proposals

    private mutating func onKeyPackage(_ user: UInt64, _ keyPackage: KeyPackage) {
        precondition(keyPackage.leafNode.credential == .basic(identity: (0..<8).map { UInt8(truncatingIfNeeded: user >> (56 - 8 * $0)) }))
        guard case .keyPackage(let lifetime) = keyPackage.leafNode.source, lifetime == .unlimited else {
            preconditionFailure("a key package without the full lifetime")
        }
        revokeAdds(for: user)
        keyPackages[user] = keyPackage
        if established {
            let rejoining = members.contains(user)
            if rejoining { stale.insert(user) }
            if rejoining && !addsBeforeRemoves { proposeRemove(user) }
            proposeAdd(user)
            if rejoining && addsBeforeRemoves { proposeRemove(user) }
        } else {
            let proposal = makeProposal(.add(keyPackage), user: user, epoch: 0)
            for (other, _) in pendingAdds where sessions[other] != nil { send([proposal], to: other) }
            let earlier = pendingAdds.map(\.proposal)
            pendingAdds.append((user, proposal))
            if !earlier.isEmpty { send(earlier, to: user) }
        }
    }

    private func makeProposal(_ proposal: Proposal, user: UInt64, epoch: UInt64) -> SentProposal {
        let message = try! proposer.propose(proposal, groupID: groupID, epoch: epoch)
        guard case .publicMessage(let publicMessage) = message else { preconditionFailure() }
        let authenticated = AuthenticatedContent(wireFormat: .publicMessage, content: publicMessage.content, auth: publicMessage.auth)
        let reference = CipherSuite.refHash(label: "MLS 1.0 Proposal Reference", value: authenticated.tlsBytes)
        if case .add = proposal { return SentProposal(message: message, reference: reference, isAdd: true, user: user) }
        return SentProposal(message: message, reference: reference, isAdd: false, user: user)
    }

    private mutating func send(_ proposals: [SentProposal], to recipient: UInt64) {
        sent[recipient, default: []].append(contentsOf: proposals)
        var writer = TLSWriter()
        writer.vector(proposals.map(\.message))
        queue.append(.toClient(recipient, .proposals([0] + writer.bytes)))
    }

    private mutating func proposeAdd(_ user: UInt64) {
        let proposal = makeProposal(.add(keyPackages[user]!), user: user, epoch: epoch)
        for member in liveMembers { send([proposal], to: member) }
    }

    private mutating func proposeRemove(_ user: UInt64) {
        if sent.values.contains(where: { $0.contains { !$0.isAdd && $0.user == user } }) { return }
        let remaining = liveMembers.filter { $0 != user }
        if remaining.count <= 1 && sessions[user] == nil {
            soleMemberReset(remaining)
            return
        }
        let proposal = makeProposal(.remove(leaf: UInt32(leaves.firstIndex(of: user)!)), user: user, epoch: epoch)
        for member in remaining { send([proposal], to: member) }
    }

    private mutating func revokeAdds(for user: UInt64) {
        for (recipient, proposals) in sent {
            let revoked = proposals.filter { $0.isAdd && $0.user == user }
            if !revoked.isEmpty && sessions[recipient] != nil {
                var writer = TLSWriter()
                writer.vector(revoked.map { OpaqueBytes($0.reference) })
                queue.append(.toClient(recipient, .proposals([1] + writer.bytes)))
            }
            sent[recipient] = proposals.filter { !($0.isAdd && $0.user == user) }
        }
        pendingAdds.removeAll { $0.user == user }
    }

    // MARK: commits and transitions

    private mutating func onCommit(_ committer: UInt64, _ payload: [UInt8]) {
        var reader = TLSReader(payload)
        let message = try! reader.read(MLSMessage.self)
        let commitBytes = Array(payload[..<reader.position])
        let welcomeBytes = Array(payload[reader.position...])
        guard case .publicMessage(let publicMessage) = message, case .commit(let commit) = publicMessage.content.content,
              case .member(let senderLeaf) = publicMessage.content.sender else { preconditionFailure("not a commit") }
        guard publicMessage.content.epoch == epoch else { return }
        let references = commit.proposals.compactMap { item -> [UInt8]? in
            if case .reference(let reference) = item { return reference } else { return nil }
        }
        let expected = sent[committer] ?? []
        guard !references.isEmpty, Set(references) == Set(expected.map(\.reference)) else {
            staleCommits += 1
            return
        }
        let covered = references.map { reference in expected.first { $0.reference == reference }! }
        let adds = covered.filter(\.isAdd).map(\.user)
        precondition(adds.isEmpty || !welcomeBytes.isEmpty, "a commit that adds members needs a Welcome")
        var newLeaves: [UInt64?]
        let oldMembers: Set<UInt64>
        if established {
            oldMembers = Set(liveMembers)
            precondition(oldMembers.contains(committer) && leaves.firstIndex(of: committer) == Int(senderLeaf))
            newLeaves = leaves
            for proposal in covered where !proposal.isAdd {
                newLeaves[newLeaves.firstIndex(of: proposal.user)!] = nil
                stale.remove(proposal.user)
            }
            while let last = newLeaves.last, last == nil { newLeaves.removeLast() }
        } else {
            oldMembers = [committer]
            newLeaves = [committer]
        }
        for user in adds {
            if let free = newLeaves.firstIndex(of: nil) { newLeaves[free] = user } else { newLeaves.append(user) }
        }
        let id = newTransitionID()
        leaves = newLeaves
        established = true
        epoch += 1
        sent = [:]
        pendingAdds = []
        let memberSet = Set(members)
        transition = PendingTransition(id: id, version: protocolVersion, waiting: memberSet.filter { sessions[$0] != nil }, members: memberSet)
        let prefix = [UInt8(id >> 8), UInt8(id & 0xFF)]
        for user in oldMembers.intersection(memberSet) where sessions[user] != nil {
            queue.append(.toClient(user, .announceCommit(prefix + commitBytes)))
        }
        for user in adds {
            keyPackages[user] = nil
            guard sessions[user] != nil else { continue }
            var welcome = welcomeBytes
            if corruptWelcomeFor.remove(user) != nil { welcome[welcome.count - 1] ^= 1 }
            queue.append(.toClient(user, .welcome(prefix + welcome)))
        }
        for user in keyPackages.keys where sessions[user] != nil && !memberSet.contains(user) { proposeAdd(user) }
    }

    private mutating func onReady(_ user: UInt64, _ id: UInt16) {
        guard transition?.id == id else { return }
        transition?.waiting.remove(user)
        maybeExecute()
    }

    private mutating func onInvalid(_ user: UInt64) {
        transition?.waiting.remove(user)
        if members.contains(user) {
            stale.insert(user)
            proposeRemove(user)
        }
        maybeExecute()
    }

    private mutating func maybeExecute() {
        guard let done = transition, done.waiting.isEmpty else { return }
        transition = nil
        for user in done.members where sessions[user] != nil { queue.append(.toClient(user, .executeTransition(transitionID: done.id))) }
        executed.append((done.id, done.version, done.members))
    }

    private mutating func newTransitionID() -> UInt16 {
        defer { nextTransitionID = nextTransitionID % 0xFFFF + 1 }
        return nextTransitionID
    }

    private mutating func forgetGroup() {
        established = false
        epoch = 0
        leaves = []
        stale = []
        sent = [:]
        pendingAdds = []
    }

    private mutating func soleMemberReset(_ remaining: [UInt64]) {
        forgetGroup()
        transition = nil
        for user in remaining {
            queue.append(.toClient(user, .prepareEpoch(epoch: 1, protocolVersion: protocolVersion)))
            queue.append(.toClient(user, .prepareTransition(transitionID: 0, protocolVersion: protocolVersion)))
        }
    }
}
