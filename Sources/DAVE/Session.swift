import Crypto
import MLS

extension DAVE {
    /// The client side of DAVE protocol version 1 for one voice connection: a pure state machine.
    ///
    /// Feed it every DAVE-related voice gateway event with `handle(_:)` (JSON opcodes 4, 11, 13, 21,
    /// 22 and 24 as typed cases; binary opcodes 25, 27, 29 and 30 through `Event(binaryOpcode:payload:)`)
    /// and carry out the returned actions in order: send each `Outbound` message (`binaryMessage` as
    /// a binary frame, `jsonMessage` as text), and switch outgoing audio to each `Media`. Audio is
    /// allowed only once an executed transition has put this client in an established group with at
    /// least one other member, or when the session uses protocol version 0 (passthrough).
    public struct Session: Sendable {
        /// This client's user id.
        public let selfUserID: UInt64
        /// The voice channel id; the MLS group id is its 8 big-endian bytes.
        public let channelID: UInt64
        /// The DAVE protocol version the voice gateway last announced.
        public private(set) var protocolVersion: UInt16 = 0
        /// How outgoing audio must be treated now (the last `Action.media`; keep advancing the encryptor taken from that action).
        public internal(set) var media: Media = .hold
        /// The voice privacy code of the executed epoch: its epoch authenticator as 30 digits.
        public internal(set) var privacyCode: String?

        /// Signs this client's MLS messages; fresh for every group reset, so peers that track the roster
        /// by signature key (libdave reports only changed members) see a re-joined client as new.
        var signatureKey = P256.Signing.PrivateKey()
        var externalSender: ExternalSender?
        /// Users announced by clients_connect and not since disconnected.
        var connectedUsers: Set<UInt64> = []
        var state: State = .inactive
        /// This client's last commit, until the gateway announces it or a new one replaces it.
        var pendingCommit: PendingCommit?
        /// Prepared transitions by id, waiting for execution.
        var transitions: [UInt16: Transition] = [:]
        /// The group whose keys the executed epoch uses.
        var executedGroup: Group?

        /// Where the client stands in the MLS group.
        enum State: Sendable {
            /// No DAVE: before a session description, or after a downgrade to version 0 executed.
            case inactive
            /// Waiting to be welcomed with `bundle`; `local` is the sole-member group once the external sender is known.
            case pending(bundle: KeyPackageBundle, local: Group?)
            /// A member of an established group (epoch 1 or later).
            case established(Group)
        }

        /// A commit this client sent and the group it leads to.
        struct PendingCommit: Sendable {
            let message: [UInt8]
            let group: Group
        }

        /// A prepared transition: the protocol version and, for version 1, the group whose keys it brings in.
        struct Transition: Sendable {
            let protocolVersion: UInt16
            let group: Group?
        }

        /// Creates a session for `selfUserID` in voice channel `channelID`.
        public init(selfUserID: UInt64, channelID: UInt64) {
            self.selfUserID = selfUserID
            self.channelID = channelID
        }

        /// The MLS group id: the channel id as 8 big-endian bytes.
        public var groupID: [UInt8] { Self.bigEndian(channelID) }

        /// The user ids in this client's current MLS group (empty while not a member).
        public var members: [UInt64] {
            guard case .established(let group) = state else { return [] }
            return group.members.compactMap { Self.userID(of: $0.leaf.credential) }
        }

        /// A decryptor for `userID`'s frames in the executed epoch, if that user is in it.
        public func frameDecryptor(for userID: UInt64) -> FrameDecryptor? {
            guard let group = executedGroup,
                  group.members.contains(where: { Self.userID(of: $0.leaf.credential) == userID }) else { return nil }
            return FrameDecryptor(baseSecret: Self.senderBaseSecret(group, userID: userID))
        }

        /// Handles one voice gateway event and returns what to do, in order.
        ///
        /// On a thrown error the session is unchanged: the event was refused (for example a
        /// proposal from the wrong sender) and the voice client should log it and carry on.
        public mutating func handle(_ event: Event) throws(DAVEError) -> [Action] {
            var next = self
            let actions = try next.apply(event)
            self = next
            return actions
        }

        private mutating func apply(_ event: Event) throws(DAVEError) -> [Action] {
            switch event {
            case .sessionDescription(let version):
                protocolVersion = version
                guard version > 0 else { return becomeInactive() }
                return try resetGroup()
            case .clientsConnect(let userIDs):
                connectedUsers.formUnion(userIDs)
                return []
            case .clientDisconnect(let userID):
                connectedUsers.remove(userID)
                return []
            case .prepareTransition(let id, let version):
                return prepareTransition(id: id, version: version)
            case .executeTransition(let id):
                return execute(id)
            case .prepareEpoch(let epoch, let version):
                protocolVersion = version
                guard epoch == 1, version > 0 else { return [] }
                return try resetGroup()
            case .externalSender(let payload):
                return try receiveExternalSender(payload)
            case .proposals(let payload):
                return try receiveProposals(payload)
            case .announceCommit(let payload):
                return try receiveCommit(payload)
            case .welcome(let payload):
                return try receiveWelcome(payload)
            }
        }

        /// Protocol version 0 from the start: no group, audio passes through.
        private mutating func becomeInactive() -> [Action] {
            state = .inactive
            pendingCommit = nil
            executedGroup = nil
            privacyCode = nil
            return setMedia(.passthrough)
        }

        /// Drops any group state, makes a fresh signature key and key package (and sole-member group when possible) and sends it.
        mutating func resetGroup() throws(DAVEError) -> [Action] {
            pendingCommit = nil
            signatureKey = P256.Signing.PrivateKey()
            do {
                let credential = Credential.basic(identity: Self.bigEndian(selfUserID))
                let bundle = try KeyPackageBundle(credential: credential, signatureKey: signatureKey, lifetime: .unlimited)
                state = .pending(bundle: bundle, local: try localGroup())
                return [.send(.keyPackage(bundle.keyPackage.tlsBytes))]
            } catch {
                throw .mls(error)
            }
        }

        /// A sole-member group at epoch 0 naming the gateway as external sender, once it is known.
        func localGroup() throws(MLSError) -> Group? {
            guard let externalSender else { return nil }
            return try Group(groupID: groupID, credential: .basic(identity: Self.bigEndian(selfUserID)),
                             signatureKey: signatureKey, extensions: [ExternalSender.extensionFor([externalSender])])
        }

        private mutating func prepareTransition(id: UInt16, version: UInt16) -> [Action] {
            let group: Group?
            switch state {
            case .established(let current): group = current
            case .pending(_, let local): group = local
            case .inactive: group = nil
            }
            transitions[id] = Transition(protocolVersion: version, group: version > 0 ? group : nil)
            return id == 0 ? execute(0) : [.send(.readyForTransition(transitionID: id))]
        }

        /// Executes a prepared transition: the media changes to the keys (or passthrough) it brings in.
        mutating func execute(_ id: UInt16) -> [Action] {
            guard let transition = transitions.removeValue(forKey: id) else { return [] }
            guard transition.protocolVersion > 0 else {
                protocolVersion = 0
                transitions.removeAll()
                return becomeInactive()
            }
            guard let group = transition.group, group.epoch > 0, group.members.count > 1 else { return holdMedia() }
            executedGroup = group
            privacyCode = try? DAVE.displayableCode(for: group.epochAuthenticator)
            return setMedia(.encrypt(FrameEncryptor(baseSecret: Self.senderBaseSecret(group, userID: selfUserID))))
        }

        /// Stops audio: no executed group keys the media any more.
        mutating func holdMedia() -> [Action] {
            executedGroup = nil
            privacyCode = nil
            return setMedia(.hold)
        }

        private mutating func setMedia(_ media: Media) -> [Action] {
            self.media = media
            return [.media(media)]
        }

        /// MLS-Exporter("Discord Secure Frames v0", user id as 8 bytes little-endian, 16).
        static func senderBaseSecret(_ group: Group, userID: UInt64) -> SymmetricKey {
            SymmetricKey(data: group.exportSecret(label: "Discord Secure Frames v0", context: littleEndian(userID), length: 16))
        }
    }
}
