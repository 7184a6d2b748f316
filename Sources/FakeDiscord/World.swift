import NIOCore
import Synchronization

/// A main gateway session: survives reconnects until invalidated; keeps every dispatch for RESUME.
final class GatewaySessionState {
    let id: String
    /// The shard IDENTIFY named; nil for an unsharded session, which receives every guild.
    let shard: FakeDiscord.Shard?
    private(set) var sequence = 0
    private var log: [(sequence: Int, text: String, name: String)] = []
    /// The connection currently delivering this session's dispatches.
    weak var connection: GatewaySession?

    init(id: String, shard: FakeDiscord.Shard?) {
        self.id = id
        self.shard = shard
    }

    /// Whether this session receives `guildID`'s events.
    func owns(_ guildID: String) -> Bool {
        shard?.owns(guildID) ?? true
    }

    /// Numbers and logs a dispatch, and sends it if a live connection carries the session.
    func dispatch(_ name: String, _ data: JSONValue) {
        sequence += 1
        let text = JSONValue.object(["op": 0, "t": .string(name), "s": .int(Int64(sequence)), "d": data]).text
        log.append((sequence, text, name))
        connection?.deliver(text, name: name, sequence: sequence)
    }

    /// Sends every dispatch after `sequence` again, in order.
    func replay(after sequence: Int) {
        for entry in log where entry.sequence > sequence {
            connection?.deliver(entry.text, name: entry.name, sequence: entry.sequence)
        }
    }
}

/// A voice session for one guild: created by an op 4 join, resumable until invalidated.
final class VoiceSessionState {
    let guildID: String
    let channelID: String
    let userID: String
    let sessionID: String
    let token: String
    let ssrc: UInt32
    /// Which of the fake's two voice servers carries the session (0: `voiceEndpoint`).
    var server = 0
    private(set) var sequence = 0
    private var log: [(sequence: Int, message: Outgoing)] = []
    var valid = true
    /// The connection currently carrying this session.
    weak var connection: VoiceGatewaySession?

    enum Outgoing {
        case text(String)
        case binary([UInt8])
    }

    init(guildID: String, channelID: String, userID: String, sessionID: String, token: String, ssrc: UInt32) {
        self.guildID = guildID
        self.channelID = channelID
        self.userID = userID
        self.sessionID = sessionID
        self.token = token
        self.ssrc = ssrc
    }

    /// Starts numbering afresh, as a new IDENTIFY does.
    func reset() {
        sequence = 0
        log = []
    }

    /// Sends a JSON message with the next sequence number, keeping it for RESUME.
    func sendJSON(op: Int, _ data: JSONValue) {
        sequence += 1
        let text = JSONValue.object(["op": .int(Int64(op)), "d": data, "seq": .int(Int64(sequence))]).text
        keep(.text(text))
    }

    /// Sends a binary message [seq u16 BE][op][payload], keeping it for RESUME.
    func sendBinary(op: UInt8, _ payload: [UInt8]) {
        sequence += 1
        let wire = UInt16(truncatingIfNeeded: sequence)
        keep(.binary([UInt8(wire >> 8), UInt8(wire & 0xFF), op] + payload))
    }

    /// Sends every kept message after `sequence` again, in order.
    func replay(after sequence: Int) {
        for entry in log where entry.sequence > sequence {
            connection?.deliver(entry.message)
        }
    }

    private func keep(_ message: Outgoing) {
        log.append((sequence, message))
        connection?.deliver(message)
    }
}

/// The whole fake's state. Confined to the fake's single event loop: every access runs there.
final class World: @unchecked Sendable {
    let loop: EventLoop
    let options: FakeDiscord.Options
    let recorder: FakeDiscord.Recorder
    var gatewayURL = ""
    var resumeGatewayURL = ""
    var voiceEndpoint = ""
    var secondVoiceEndpoint = ""
    var udpPort = 0
    var guilds: [String: FakeDiscord.Guild]
    var gatewaySessions: [String: GatewaySessionState] = [:]
    var voiceSessions: [String: VoiceSessionState] = [:]
    /// Session keys by SSRC; read from the UDP loop, hence locked.
    let ciphers = CipherTable()
    var gatewayConnections = 0
    /// When each `max_concurrency` bucket last accepted an IDENTIFY.
    var lastIdentify: [Int: ContinuousClock.Instant] = [:]
    /// The window in which a bucket accepts one IDENTIFY.
    static let identifyWindow: Duration = .seconds(5)
    var voiceConnections = 0
    var ipDiscoveryDropsLeft: Int
    weak var currentGateway: GatewaySession?
    weak var currentVoice: VoiceGatewaySession?
    private var pending: [FakeDiscord.ScriptedFault]
    private var rtpCount = 0
    private var interactions = 0
    private var sawFirstPacket = false

    init(loop: EventLoop, options: FakeDiscord.Options, recorder: FakeDiscord.Recorder) {
        self.loop = loop
        self.options = options
        self.recorder = recorder
        self.guilds = Dictionary(options.guilds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.ipDiscoveryDropsLeft = options.ipDiscovery.dropFirst
        self.pending = options.faults
    }

    /// READYs waiting for ``releaseReady()`` while ``FakeDiscord/Options/holdsReady`` holds them.
    private var heldReadies: [() -> Void] = []
    private lazy var readyHeld = options.holdsReady

    /// Runs `sendReady` now, or once READY is released when the options hold it.
    func whenReadyReleased(_ sendReady: @escaping () -> Void) {
        if readyHeld { heldReadies.append(sendReady) } else { sendReady() }
    }

    /// Sends the held READYs in arrival order and stops holding new ones.
    func releaseReady() {
        readyHeld = false
        let held = heldReadies
        heldReadies.removeAll()
        for sendReady in held { sendReady() }
    }

    /// Fires every scripted fault waiting for `trigger`.
    func fire(_ trigger: FakeDiscord.Trigger) {
        let due = pending.filter { $0.trigger == trigger }
        pending.removeAll { $0.trigger == trigger }
        for scripted in due { inject(scripted.fault) }
    }

    /// Counts an arrived RTP packet against packet and time triggers.
    func countPacket() {
        rtpCount += 1
        fire(.afterPackets(rtpCount))
        guard !sawFirstPacket else { return }
        sawFirstPacket = true
        for scripted in pending {
            guard case .afterFirstPacket(let delay) = scripted.trigger else { continue }
            loop.scheduleTask(in: TimeAmount(delay)) { self.fire(scripted.trigger) }
        }
    }

    /// Sends a dispatch on every gateway session the fake still knows that receives `guildID`
    /// (all of them without one); false when there is none.
    func dispatchToSessions(_ name: String, _ data: JSONValue, guild guildID: String? = nil) -> Bool {
        let sessions = gatewaySessions.values.filter { guildID.map($0.owns) ?? true }.sorted { $0.id < $1.id }
        for session in sessions { session.dispatch(name, data) }
        return !sessions.isEmpty
    }

    /// Moves a guild member into `channelID` (nil: out of voice) and dispatches the VOICE_STATE_UPDATE.
    func moveMember(_ userID: String, in guildID: String, to channelID: String?) -> Bool {
        guard var guild = guilds[guildID], let user = guild.members.first(where: { $0.id == userID }) else {
            return false
        }
        let sessionID = "vs-\(userID)"
        guild.voiceStates.removeAll { $0.userID == userID }
        if let channelID { guild.voiceStates.append(.init(userID: userID, channelID: channelID, sessionID: sessionID)) }
        guilds[guildID] = guild
        return dispatchToSessions(
            "VOICE_STATE_UPDATE",
            voiceStateObject(guildID: guildID, channelID: channelID, user: user, guild: guild, sessionID: sessionID),
            guild: guildID)
    }

    /// Answers `PATCH /guilds/{guild.id}/voice-states/@me` as Discord does: the bot must sit in
    /// the stage `channel_id` names, and un-suppressing itself takes Mute Members there (403,
    /// code 50013, without). On success the bot's VOICE_STATE_UPDATE is dispatched before the
    /// answer goes out.
    func modifyBotVoiceState(guildID: String, body: JSONValue?) -> RESTReply {
        loop.preconditionInEventLoop()
        guard var guild = guilds[guildID] else { return .error(404, code: 10004, "Unknown Guild") }
        let suppress = body?["suppress"]?.bool
        guard suppress != nil || body?["request_to_speak_timestamp"] != nil else {
            return .error(400, code: 50035, "Invalid Form Body", errors: RESTState.fieldError(["suppress"], "This field is required"))
        }
        guard let channelID = body?["channel_id"]?.string else {
            return .error(400, code: 50035, "Invalid Form Body", errors: RESTState.fieldError(["channel_id"], "This field is required"))
        }
        guard guild.channels.contains(where: { $0.id == channelID && $0.kind == .stageVoice }) else {
            return .error(400, code: 50024, "Cannot execute action on this channel type")
        }
        let bot = options.botUser
        guard let index = guild.voiceStates.firstIndex(where: { $0.userID == bot.id && $0.channelID == channelID }) else {
            return .error(400, code: 10065, "Unknown Voice State")
        }
        if suppress == false, guild.channelPermissions(of: bot.id, in: channelID, bot: bot) & FakeDiscord.Permission.muteMembers == 0 {
            return .error(403, code: 50013, "Missing Permissions")
        }
        if let suppress { guild.voiceStates[index].suppress = suppress }
        guilds[guildID] = guild
        let state = guild.voiceStates[index]
        let join = recorder.voiceStateUpdates.last { $0.guildID == guildID }
        gatewaySessions[state.sessionID]?.dispatch(
            "VOICE_STATE_UPDATE",
            voiceStateObject(
                guildID: guildID, channelID: channelID, user: bot, guild: guild, sessionID: state.sessionID,
                selfDeaf: join?.selfDeaf ?? false, selfMute: join?.selfMute ?? false, suppress: state.suppress))
        return .noContent
    }

    /// Dispatches INTERACTION_CREATE for a slash command invoked by a guild member.
    func interaction(
        guildID: String, channelID: String, userID: String, command: String, options: [FakeDiscord.CommandOption]
    ) -> FakeDiscord.SentInteraction? {
        guard let guild = guilds[guildID], let user = guild.members.first(where: { $0.id == userID }) else {
            return nil
        }
        interactions += 1
        let bot = self.options.botUser
        let sent = FakeDiscord.SentInteraction(
            id: String(900_000_000_000_000_000 + UInt64(interactions)), token: "aW50ZXJhY3Rpb24." + randomHex(24),
            applicationID: bot.id)
        var member = memberPayload(user, in: guild)
        if case .object(var fields) = member {
            fields["permissions"] = .string(String(guild.basePermissions(of: userID, bot: bot)))
            member = .object(fields)
        }
        let payload: JSONValue = [
            "id": .string(sent.id), "application_id": .string(sent.applicationID), "type": 2,
            "token": .string(sent.token), "version": 1,
            "guild_id": .string(guildID), "channel_id": .string(channelID),
            "channel": ["id": .string(channelID), "guild_id": .string(guildID), "type": 0],
            "guild": ["id": .string(guildID), "locale": "en-US", "features": []],
            "member": member,
            "data": [
                "id": "800000000000000001", "name": .string(command), "type": 1, "guild_id": .string(guildID),
                "options": .array(options.map(\.json)),
            ],
            "app_permissions": .string(String(guild.basePermissions(of: bot.id, bot: bot))),
            "locale": "en-US", "guild_locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": ["0": .string(guildID)], "context": 0,
        ]
        return dispatchToSessions("INTERACTION_CREATE", payload, guild: guildID) ? sent : nil
    }

    /// Applies a fault to the current connections.
    func inject(_ fault: FakeDiscord.Fault) {
        recorder.record(.faultInjected(fault))
        switch fault {
        case .gatewayReconnect:
            currentGateway?.reconnect()
        case .gatewayInvalidSession(let resumable):
            currentGateway?.invalidateSession(resumable: resumable)
        case .gatewayClose(let code, let reason):
            currentGateway?.close(code: code, reason: reason)
        case .gatewayZombie:
            currentGateway?.zombie = true
        case .voiceDrop:
            currentVoice?.drop()
        case .voiceClose(let code, let reason):
            currentVoice?.close(code: code, reason: reason)
        case .voiceZombie:
            currentVoice?.zombie = true
        case .voiceServerMove(let order):
            moveVoice(.server, order: order)
        case .voiceChannelMove(let channel, let order):
            moveVoice(.channel(channel), order: order)
        case .voiceDisconnect(let order):
            moveVoice(.disconnect, order: order)
        }
    }
}

extension FakeDiscord.CommandOption {
    /// The option as `data.options` carries it: name, type and value.
    var json: JSONValue {
        switch value {
        case .string(let text): ["name": .string(name), "type": 3, "value": .string(text)]
        case .integer(let number): ["name": .string(name), "type": 4, "value": .int(number)]
        case .boolean(let flag): ["name": .string(name), "type": 5, "value": .bool(flag)]
        case .number(let number): ["name": .string(name), "type": 10, "value": .double(number)]
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension Duration {
    /// Whole milliseconds, as Discord writes intervals.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// Transport ciphers by SSRC, shared between the gateway loop that sets them and the UDP loop.
final class CipherTable: Sendable {
    private let table = Mutex<[UInt32: TransportCipher]>([:])

    subscript(ssrc: UInt32) -> TransportCipher? {
        get { table.withLock { $0[ssrc] } }
        set { table.withLock { $0[ssrc] = newValue } }
    }
}
