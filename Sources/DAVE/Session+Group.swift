import MLS

extension DAVE.Session {
    /// Keeps the gateway's external sender; a pending client (re)creates its sole-member group with it.
    mutating func receiveExternalSender(_ payload: [UInt8]) throws(DAVEError) -> [Action] {
        let sender = try Self.decode(ExternalSender.self, from: payload, opcode: Opcode.externalSender)
        guard sender != externalSender else { return [] }
        externalSender = sender
        if case .pending(let bundle, _) = state {
            pendingCommit = nil
            do {
                state = .pending(bundle: bundle, local: try localGroup())
            } catch {
                throw .mls(error)
            }
        }
        return []
    }

    /// The group proposals and commits apply to: the established group or the pending sole-member group.
    private var committingGroup: Group? {
        switch state {
        case .established(let group): group
        case .pending(_, let local): local
        case .inactive: nil
        }
    }

    private mutating func replaceCommittingGroup(_ group: Group) {
        switch state {
        case .established: state = .established(group)
        case .pending(let bundle, _): state = .pending(bundle: bundle, local: group)
        case .inactive: break
        }
    }

    /// Appends or revokes the gateway's proposals, then commits every cached proposal.
    mutating func receiveProposals(_ payload: [UInt8]) throws(DAVEError) -> [Action] {
        guard var group = committingGroup else { return [] }
        guard let operation = payload.first else { throw .malformedMessage(opcode: Opcode.proposals, reason: "it is empty") }
        let body = Array(payload.dropFirst())
        switch operation {
        case 0:
            for message in try Self.decodeVector(MLSMessage.self, from: body, opcode: Opcode.proposals) {
                try check(message)
                do {
                    try group.cacheProposal(message)
                } catch {
                    throw .mls(error)
                }
            }
        case 1:
            let references = try Self.decodeVector(OpaqueBytes.self, from: body, opcode: Opcode.proposals)
            group.removeCachedProposals(references: references.map(\.bytes))
        default:
            throw .malformedMessage(opcode: Opcode.proposals, reason: "operation \(operation) is neither append nor revoke")
        }
        replaceCommittingGroup(group)
        pendingCommit = nil
        guard !group.cachedProposals.isEmpty else { return [] }
        let output: Group.CommitOutput
        do {
            output = try group.createCommit()
        } catch {
            throw .mls(error)
        }
        let commit = output.message.tlsBytes
        pendingCommit = PendingCommit(message: commit, group: output.group)
        return [.send(.commitWelcome(commit + (output.welcome?.tlsBytes ?? [])))]
    }

    /// The DAVE rules for a proposal, as libdave checks them on receipt: from the external sender,
    /// Add or Remove only, Adds only for users announced to the media session.
    ///
    /// An Add for a user still in the group is accepted: a quick reconnect can bring its Add before
    /// the Remove of the old leaf, and the commit covering both is fine. A commit that would leave a
    /// user in two leaves is caught when it is processed (see `hasUniqueUsers`).
    private func check(_ message: MLSMessage) throws(DAVEError) {
        guard case .publicMessage(let publicMessage) = message, case .external = publicMessage.content.sender else {
            throw .proposalRejected("it was not sent by the voice gateway's external sender")
        }
        guard case .proposal(let proposal) = publicMessage.content.content else {
            throw .proposalRejected("the message is not a proposal")
        }
        switch proposal {
        case .remove: return
        case .add(let keyPackage):
            guard let user = Self.userID(of: keyPackage.leafNode.credential) else {
                throw .proposalRejected("its key package identity is not an 8-byte user id")
            }
            guard connectedUsers.contains(user) else {
                throw .proposalRejected("it adds user \(user), who is not connected to the media session")
            }
        default:
            throw .proposalRejected("DAVE allows only Add and Remove proposals")
        }
    }

    /// Adopts this client's own announced commit or processes another member's; then readies the transition.
    mutating func receiveCommit(_ payload: [UInt8]) throws(DAVEError) -> [Action] {
        let (transitionID, commit) = try Self.splitTransition(payload, opcode: Opcode.announceCommit)
        if let pendingCommit, pendingCommit.message == commit {
            guard Self.hasUniqueUsers(pendingCommit.group) else { return try recover(transitionID) }
            state = .established(pendingCommit.group)
            self.pendingCommit = nil
            return prepareCommitTransition(transitionID, group: pendingCommit.group)
        }
        guard case .established(var group) = state else { return [] }
        let effect: Group.CommitEffect
        do {
            effect = try group.processCommit(try MLSMessage(tlsBytes: commit))
        } catch {
            return try recover(transitionID)
        }
        if effect == .removedSelf { return try resetGroup() + holdMedia() }
        guard Self.hasUniqueUsers(group) else { return try recover(transitionID) }
        state = .established(group)
        pendingCommit = nil
        return prepareCommitTransition(transitionID, group: group)
    }

    /// Joins from a Welcome addressed to the pending key package; an unusable Welcome starts recovery.
    mutating func receiveWelcome(_ payload: [UInt8]) throws(DAVEError) -> [Action] {
        let (transitionID, body) = try Self.splitTransition(payload, opcode: Opcode.welcome)
        guard case .pending(let bundle, _) = state else {
            throw .unexpectedMessage("a Welcome arrived while this client is not waiting to join a group")
        }
        guard let welcome = try? Welcome(tlsBytes: body),
              let group = try? Group(welcome: welcome, keyPackage: bundle),
              group.groupID == groupID, let externalSender, group.externalSenders == [externalSender],
              Self.hasUniqueUsers(group)
        else { return try recover(transitionID) }
        state = .established(group)
        pendingCommit = nil
        return prepareCommitTransition(transitionID, group: group)
    }

    /// Records the transition a commit or Welcome brings and reports readiness (or executes transition 0 at once).
    private mutating func prepareCommitTransition(_ id: UInt16, group: Group) -> [Action] {
        transitions[id] = Transition(protocolVersion: protocolVersion, group: group)
        return id == 0 ? execute(0) : [.send(.readyForTransition(transitionID: id))]
    }

    /// Flags an unprocessable commit or Welcome, resets and offers a fresh key package.
    private mutating func recover(_ transitionID: UInt16) throws(DAVEError) -> [Action] {
        try [.send(.invalidCommitWelcome(transitionID: transitionID))] + resetGroup() + holdMedia()
    }

    /// Whether no user id appears in two leaves.
    static func hasUniqueUsers(_ group: Group) -> Bool {
        let users = group.members.map { userID(of: $0.leaf.credential) }
        return !users.contains(nil) && Set(users).count == users.count
    }
}
