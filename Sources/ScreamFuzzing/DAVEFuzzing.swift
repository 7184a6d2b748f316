import Crypto
import DAVE
import DiscordVoice
import MLS

/// The `dave` target: a script that plays the voice gateway and other call members against a
/// real `DAVE.Session`, so that opcodes 25 to 31 reach the group logic and not only the framing.
///
/// The session (user 1000, channel 42) starts as the voice client starts it: told who is in the
/// call, given protocol version 1 and the gateway's external sender, so it waits with a key package
/// and a sole-member group. Each script byte then picks a ``Step``; its operands are the bytes that
/// follow. Steps either send raw bytes as a binary voice frame, or build valid messages the way the
/// gateway and the members would (signed proposals, commits, Welcomes to the session's key package),
/// optionally damaged at one fuzzed offset. Every server frame goes through `VoiceMessage` and
/// `VoiceConnection.daveEvent`, as `VoiceConnection` feeds its session.
enum DAVEFuzzing {
    /// One script step.
    enum Step: UInt8, CaseIterable {
        /// A raw binary frame: opcode 25 + (byte mod 7), a length byte, that many payload bytes.
        case raw
        /// An external Add proposal for one of the ``users`` (the session's own key package for itself).
        case add
        /// An external Remove proposal for a leaf index.
        case remove
        /// A revoke of the last proposal sent.
        case revoke
        /// Announces the session's own last commit with a transition id.
        case announceOwnCommit
        /// A member that joined through the session's Welcome commits and the gateway announces it.
        case memberCommit
        /// Another user founds the group, adds the session's key package and the gateway sends the Welcome.
        case welcome
        /// JSON transition events: prepare transition, execute transition or prepare epoch.
        case transition
        /// clients_connect or client_disconnect for one of the ``users``.
        case presence
        /// The next generated message is damaged: a 16-bit offset and an XOR byte.
        case damage
        /// A DAVE media frame from a member, decrypted with the session's decryptor for that member.
        case frame
    }

    static let selfUser: UInt64 = 1000
    static let channel: UInt64 = 42
    /// The users a script can name; 1000 is the session itself.
    static let users: [UInt64] = [2000, 3000, 1000, 4000]
    /// At most this many steps run, so one input stays well under libFuzzer's timeout.
    static let maximumSteps = 48

    /// The voice gateway's external sender, fixed so that seeds can carry its package verbatim.
    static let gateway = ExternalProposer(
        signatureKey: try! P256.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32)),
        credential: .basic(identity: DAVEScript.bigEndian(1)))

    /// The script state after ``DAVEScript/start()`` with every user's key package made, shared by all
    /// inputs (a value: each run starts from a copy), so an input pays only for its own steps.
    static let started: DAVEScript = {
        var script = DAVEScript([])
        script.start()
        return script
    }()

    /// Runs one script; returns its final state.
    @discardableResult
    static func run(_ bytes: [UInt8]) -> DAVEScript {
        var script = started
        script.load(bytes)
        var steps = 0
        while let byte = script.next(), steps < maximumSteps {
            steps += 1
            script.perform(Step(rawValue: byte % UInt8(Step.allCases.count))!)
        }
        return script
    }
}

/// The state of one `dave` script run: the session under test and the other side's view.
struct DAVEScript: Sendable {
    private var bytes: [UInt8]
    private var cursor = 0
    private var session = DAVE.Session(selfUserID: DAVEFuzzing.selfUser, channelID: DAVEFuzzing.channel)
    private var sequence: UInt16 = 0
    /// The epoch the gateway believes the group is in.
    private var epoch: UInt64 = 0
    private var keyPackage: KeyPackage?
    private var commitWelcome: [UInt8]?
    private var lastProposal: MLSMessage?
    private var damage: (offset: Int, xor: UInt8)?
    /// Key packages of the other users, made when first needed.
    private var bundles: [UInt64: KeyPackageBundle] = [:]
    /// The groups of the other users who are in the session's group.
    private var members: [UInt64: Group] = [:]
    /// The session's media state as its last action set it.
    private(set) var media: DAVE.Session.Media = .hold

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Runs `bytes` as the script from here on.
    mutating func load(_ bytes: [UInt8]) {
        self.bytes = bytes
        cursor = 0
    }

    mutating func next() -> UInt8? {
        guard cursor < bytes.count else { return nil }
        defer { cursor += 1 }
        return bytes[cursor]
    }

    private mutating func operand() -> UInt8 { next() ?? 0 }

    private mutating func take(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, cursor + count)
        defer { cursor = end }
        return Array(bytes[cursor..<end])
    }

    private var groupID: [UInt8] { Self.bigEndian(DAVEFuzzing.channel) }

    static func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    /// What the voice client does when the voice gateway's SESSION_DESCRIPTION announces DAVE version 1.
    mutating func start() {
        feed(.clientsConnect(userIDs: [2000, 3000]))
        feed(.sessionDescription(protocolVersion: 1))
        sendBinary(opcode: DAVE.Session.Opcode.externalSender, DAVEFuzzing.gateway.sender.tlsBytes)
        for user in DAVEFuzzing.users { _ = bundle(for: user) }
    }

    mutating func perform(_ step: DAVEFuzzing.Step) {
        switch step {
        case .raw:
            let opcode = 25 + operand() % 7
            let length = Int(operand())
            sendBinary(opcode: opcode, take(length), damaged: false)
        case .add:
            let user = DAVEFuzzing.users[Int(operand()) % DAVEFuzzing.users.count]
            guard let package = user == DAVEFuzzing.selfUser ? keyPackage : bundle(for: user)?.keyPackage else { return }
            propose(.add(package))
        case .remove:
            propose(.remove(leaf: UInt32(operand() % 4)))
        case .revoke:
            guard let lastProposal, case .publicMessage(let message) = lastProposal else { return }
            let content = AuthenticatedContent(wireFormat: .publicMessage, content: message.content, auth: message.auth)
            let reference = CipherSuite.refHash(label: "MLS 1.0 Proposal Reference", value: content.tlsBytes)
            var w = TLSWriter()
            w.vector([OpaqueBytes(reference)])
            sendBinary(opcode: DAVE.Session.Opcode.proposals, [1] + w.bytes)
        case .announceOwnCommit:
            announceOwnCommit(transition: UInt16(operand()))
        case .memberCommit:
            memberCommit(transition: UInt16(operand()))
        case .welcome:
            welcome(transition: UInt16(operand()))
        case .transition:
            let kind = operand() % 3
            let id = operand()
            let version = operand() % 2
            switch kind {
            case 0: sendJSON(#"{"op":21,"d":{"transition_id":\#(id),"protocol_version":\#(version)}}"#)
            case 1: sendJSON(#"{"op":22,"d":{"transition_id":\#(id)}}"#)
            default: sendJSON(#"{"op":24,"d":{"epoch":\#(id % 3),"protocol_version":\#(version)}}"#)
            }
        case .presence:
            let which = operand()
            let user = DAVEFuzzing.users[Int(which) % DAVEFuzzing.users.count]
            if which & 0x80 == 0 {
                sendJSON(#"{"op":11,"d":{"user_ids":["\#(user)"]}}"#)
            } else {
                sendJSON(#"{"op":13,"d":{"user_id":"\#(user)"}}"#)
                members[user] = nil
            }
        case .damage:
            damage = (Int(operand()) << 8 | Int(operand()), operand() | 1)
        case .frame:
            let user = DAVEFuzzing.users[Int(operand()) % DAVEFuzzing.users.count]
            let frame = take(Int(operand()))
            guard var decryptor = session.frameDecryptor(for: user) else { return }
            var output: [UInt8] = []
            _ = try? decryptor.decrypt(frame, into: &output)
        }
    }

    // MARK: the other side

    private mutating func bundle(for user: UInt64) -> KeyPackageBundle? {
        if user == DAVEFuzzing.selfUser { return nil }
        if let bundle = bundles[user] { return bundle }
        let bundle = try? KeyPackageBundle(credential: .basic(identity: Self.bigEndian(user)), signatureKey: P256.Signing.PrivateKey())
        bundles[user] = bundle
        return bundle
    }

    private mutating func propose(_ proposal: Proposal) {
        guard let message = try? DAVEFuzzing.gateway.propose(proposal, groupID: groupID, epoch: epoch) else { return }
        lastProposal = message
        var w = TLSWriter()
        w.vector([message])
        sendBinary(opcode: DAVE.Session.Opcode.proposals, [0] + w.bytes)
        for user in members.keys { _ = try? members[user]?.cacheProposal(message) }
    }

    /// The gateway announces the session's commit; the users it welcomed join, the members follow it.
    private mutating func announceOwnCommit(transition: UInt16) {
        guard let commitWelcome else { return }
        var reader = TLSReader(commitWelcome)
        guard let commit = try? reader.read(MLSMessage.self) else { return }
        let welcomeBytes = Array(commitWelcome[reader.position...])
        sendBinary(opcode: DAVE.Session.Opcode.announceCommit, Self.transitionPrefix(transition) + commit.tlsBytes)
        epoch += 1
        follow(commit, except: nil)
        guard let welcome = try? Welcome(tlsBytes: welcomeBytes) else { return }
        for (user, bundle) in bundles where members[user] == nil {
            if let group = try? Group(welcome: welcome, keyPackage: bundle) { members[user] = group }
        }
    }

    /// The lowest member commits its cached proposals (or just a new path) and the gateway announces it.
    private mutating func memberCommit(transition: UInt16) {
        guard let committer = members.keys.min(), let output = try? members[committer]?.createCommit() else { return }
        sendBinary(opcode: DAVE.Session.Opcode.announceCommit, Self.transitionPrefix(transition) + output.message.tlsBytes)
        epoch += 1
        members[committer] = output.group
        follow(output.message, except: committer)
    }

    /// The members other than `committer` process a commit; those it removes or that refuse it leave.
    private mutating func follow(_ commit: MLSMessage, except committer: UInt64?) {
        for user in Array(members.keys) where user != committer {
            let effect = try? members[user]?.processCommit(commit)
            if effect == nil || effect == .removedSelf { members[user] = nil }
        }
    }

    /// A user founds the group with the gateway as external sender, adds the session and welcomes it.
    private mutating func welcome(transition: UInt16) {
        let founder = DAVEFuzzing.users[Int(transition) % 2]
        guard let keyPackage, let bundle = bundle(for: founder),
              var group = try? Group(groupID: groupID, credential: bundle.keyPackage.leafNode.credential,
                                     signatureKey: P256.Signing.PrivateKey(),
                                     extensions: [ExternalSender.extensionFor([DAVEFuzzing.gateway.sender])]),
              let proposal = try? DAVEFuzzing.gateway.propose(.add(keyPackage), groupID: groupID, epoch: 0)
        else { return }
        guard (try? group.cacheProposal(proposal)) != nil, let output = try? group.createCommit(), let welcome = output.welcome else { return }
        sendBinary(opcode: DAVE.Session.Opcode.welcome, Self.transitionPrefix(transition) + welcome.tlsBytes)
        members = [founder: output.group]
        epoch = output.group.epoch
    }

    private static func transitionPrefix(_ id: UInt16) -> [UInt8] { [UInt8(id >> 8), UInt8(id & 0xff)] }

    // MARK: the session

    /// Sends `[seq u16][opcode][payload]` the way the voice gateway does, damaged if a damage step asked for it.
    private mutating func sendBinary(opcode: UInt8, _ payload: [UInt8], damaged: Bool = true) {
        var payload = payload
        if damaged, let hit = damage.take(), !payload.isEmpty {
            payload[hit.offset % payload.count] ^= hit.xor
        }
        sequence &+= 1
        guard let message = try? VoiceMessage(serverBinary: [UInt8(sequence >> 8), UInt8(sequence & 0xff), opcode] + payload) else { return }
        deliver(message)
    }

    private mutating func sendJSON(_ text: String) {
        guard let message = try? VoiceMessage(text: text) else { return }
        deliver(message)
    }

    private mutating func deliver(_ message: VoiceMessage) {
        guard let event = try? VoiceConnection.daveEvent(message) else { return }
        feed(event)
    }

    /// Hands one event to the session and carries out its actions as the voice client would.
    private mutating func feed(_ event: DAVE.Session.Event) {
        guard let actions = try? session.handle(event) else { return }
        for action in actions {
            switch action {
            case .send(.keyPackage(let bytes)):
                keyPackage = try? KeyPackage(tlsBytes: bytes)
                commitWelcome = nil
            case .send(.commitWelcome(let bytes)):
                commitWelcome = bytes
            case .send(let outbound):
                if let json = outbound.jsonMessage { precondition((try? JSONValue.parse(json)) != nil, "a DAVE JSON message does not parse") }
            case .media(let next):
                media = next
                sendOneFrame()
            }
        }
    }

    /// Encrypts one Opus frame under the new media state; every member that can decrypt it must get it back.
    private mutating func sendOneFrame() {
        guard case .encrypt(var encryptor) = media else { return }
        let opus: [UInt8] = [0xf8, 0xff, 0xfe, 0x01, 0x02]
        var frame: [UInt8] = []
        guard (try? encryptor.encrypt(opus, into: &frame)) != nil else { return }
        media = .encrypt(encryptor)
        for group in members.values {
            let secret = group.exportSecret(label: "Discord Secure Frames v0", context: (0..<8).map { UInt8(truncatingIfNeeded: DAVEFuzzing.selfUser >> (8 * $0)) }, length: 16)
            var decryptor = DAVE.FrameDecryptor(baseSecret: SymmetricKey(data: secret))
            var output: [UInt8] = []
            _ = try? decryptor.decrypt(frame, into: &output)
        }
    }
}

extension Optional {
    /// The value, leaving nil behind.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
