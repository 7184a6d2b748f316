import NIOCore

/// One main gateway (v10, JSON) WebSocket connection.
final class GatewaySession: WebSocketSession {
    private enum State {
        case awaitingIdentify
        case identified(GatewaySessionState)
        /// RECONNECT was sent: dispatches now wait in the session log for a RESUME elsewhere.
        case draining
        /// INVALID_SESSION was sent: the client may IDENTIFY or RESUME again on this connection.
        case invalidated
        case closed
    }

    /// Intents a bot without privileged approval may not ask for: GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT.
    private static let privilegedIntents = (1 << 1) | (1 << 8) | (1 << 15)
    private static let guildsIntent = 1 << 0
    private static let voiceStatesIntent = 1 << 7

    private let world: World
    private let viaResumeURL: Bool
    private let uri: String
    private var socket: WebSocketConnection?
    private var state = State.awaitingIdentify
    private var number = 0
    private var intents = 0
    /// When true, heartbeats are recorded but never ACKed.
    var zombie = false

    init(world: World, viaResumeURL: Bool, uri: String) {
        self.world = world
        self.viaResumeURL = viaResumeURL
        self.uri = uri
    }

    func didOpen(_ socket: WebSocketConnection) {
        self.socket = socket
        world.gatewayConnections += 1
        number = world.gatewayConnections
        world.currentGateway = self
        world.recorder.record(.gatewayConnected(connection: number, viaResumeURL: viaResumeURL))
        let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        guard query.split(separator: "&").contains("v=10") else {
            close(code: 4012, reason: "Invalid API version.")
            return
        }
        send(["op": 10, "d": ["heartbeat_interval": .int(world.options.heartbeatInterval.milliseconds)]])
    }

    func didReceiveText(_ text: String) {
        guard let message = JSONValue(parsing: text), let op = message["op"]?.int else {
            close(code: 4002, reason: "Error while decoding payload.")
            return
        }
        let data = message["d"] ?? .null
        switch op {
        case 1: heartbeat(data)
        case 2: identify(data, raw: text)
        case 6: resume(data)
        case 3, 4, 8, 31, 43:
            guard case .identified(let session) = state else {
                switch state {
                case .awaitingIdentify, .invalidated: close(code: 4003, reason: "Not authenticated.")
                case .identified, .draining, .closed: break
                }
                return
            }
            if op == 4 { voiceStateUpdate(data, session: session) }
        default:
            close(code: 4001, reason: "Unknown opcode.")
        }
    }

    func didReceiveBinary(_ bytes: [UInt8]) {
        close(code: 4002, reason: "Error while decoding payload.")
    }

    func didClose(by closer: FakeDiscord.Closer, code: UInt16?, reason: String) {
        if case .identified(let session) = state, closer == .client, code == 1000 || code == 1001 {
            world.gatewaySessions[session.id] = nil
        }
        state = .closed
        socket = nil
        world.recorder.record(.gatewayClosed(connection: number, by: closer, code: code, reason: reason))
    }

    /// Sends a dispatch of the session this connection carries.
    func deliver(_ text: String, name: String, sequence: Int) {
        guard case .identified = state, let socket, socket.isOpen else { return }
        world.recorder.record(.gatewayDispatch(name: name, sequence: sequence))
        socket.sendText(text)
    }

    func reconnect() {
        send(["op": 7, "d": nil])
        detach(to: .draining)
    }

    func invalidateSession(resumable: Bool) {
        if !resumable, case .identified(let session) = state {
            world.gatewaySessions[session.id] = nil
        }
        send(["op": 9, "d": .bool(resumable)])
        detach(to: .invalidated)
    }

    func close(code: UInt16, reason: String) {
        socket?.close(code: code, reason: reason)
    }

    private func detach(to next: State) {
        if case .identified(let session) = state, session.connection === self { session.connection = nil }
        state = next
    }

    /// Whether IDENTIFY or RESUME may come now; otherwise closes with 4005.
    private func mayAuthenticate() -> Bool {
        switch state {
        case .awaitingIdentify, .invalidated: return true
        case .identified, .draining, .closed:
            close(code: 4005, reason: "Already authenticated.")
            return false
        }
    }

    private func send(_ message: JSONValue) {
        socket?.sendText(message.text)
    }

    private func heartbeat(_ data: JSONValue) {
        world.recorder.record(.gatewayHeartbeat(sequence: data.int, acked: !zombie))
        if !zombie { send(["op": 11]) }
    }

    private func identify(_ data: JSONValue, raw: String) {
        guard mayAuthenticate() else { return }
        let arrival = ContinuousClock.now
        let token = data["token"]?.string ?? ""
        let intents = data["intents"]?.int
        let shard = data["shard"]?.array.flatMap { parts -> FakeDiscord.Shard? in
            guard parts.count == 2, let id = parts[0].int, let count = parts[1].int else { return nil }
            return FakeDiscord.Shard(id: id, count: count)
        }
        let outcome = identifyOutcome(token: token, intents: intents, shard: shard, shardField: data["shard"], at: arrival)
        world.recorder.record(
            .gatewayIdentify(
                .init(token: token, intents: intents ?? -1, raw: raw, shard: shard, arrival: arrival, outcome: outcome,
                    connection: number)))
        switch outcome {
        case .closed(let code):
            close(code: code, reason: Self.closeReasons[code] ?? "")
            return
        case .concurrencyExceeded:
            send(["op": 9, "d": false])
            state = .invalidated
            return
        case .ready:
            break
        }
        world.lastIdentify[Self.bucket(of: shard, maxConcurrency: world.options.rest.sessionStartLimit.maxConcurrency)] = arrival
        self.intents = intents ?? 0
        let session = GatewaySessionState(id: randomHex(16), shard: shard)
        world.gatewaySessions[session.id] = session
        attach(session)
        world.whenReadyReleased { [self] in
            session.dispatch("READY", readyPayload(session))
            if self.intents & Self.guildsIntent != 0 {
                for guild in world.options.guilds where session.owns(guild.id) {
                    session.dispatch("GUILD_CREATE", guildCreatePayload(world.guilds[guild.id] ?? guild))
                }
            }
            world.fire(.afterReady)
        }
    }

    private static let closeReasons: [UInt16: String] = [
        4004: "Authentication failed.", 4010: "Invalid shard.", 4011: "Sharding required.",
        4013: "Invalid intent(s).", 4014: "Disallowed intent(s).",
    ]

    /// The `max_concurrency` bucket (`rate_limit_key`) of a shard; an unsharded session is shard 0.
    private static func bucket(of shard: FakeDiscord.Shard?, maxConcurrency: Int) -> Int {
        (shard?.id ?? 0) % max(1, maxConcurrency)
    }

    /// How Discord answers this IDENTIFY: a bad token, intents or shard closes the socket, too few
    /// shards for ``FakeDiscord/Options/requiredShards`` closes it with 4011, and a second
    /// IDENTIFY of a bucket within 5 s gets INVALID_SESSION.
    private func identifyOutcome(
        token: String, intents: Int?, shard: FakeDiscord.Shard?, shardField: JSONValue?, at arrival: ContinuousClock.Instant
    ) -> FakeDiscord.IdentifyOutcome {
        guard token == world.options.token else { return .closed(4004) }
        guard let intents, intents >= 0, intents < (1 << 26) else { return .closed(4013) }
        guard intents & Self.privilegedIntents == 0 else { return .closed(4014) }
        if shardField != nil {
            guard let shard, shard.count >= 1, (0..<shard.count).contains(shard.id) else { return .closed(4010) }
        }
        if let required = world.options.requiredShards, (shard?.count ?? 1) < required { return .closed(4011) }
        let bucket = Self.bucket(of: shard, maxConcurrency: world.options.rest.sessionStartLimit.maxConcurrency)
        if let last = world.lastIdentify[bucket], arrival - last < World.identifyWindow { return .concurrencyExceeded }
        return .ready
    }

    private func resume(_ data: JSONValue) {
        guard mayAuthenticate() else { return }
        let sessionID = data["session_id"]?.string ?? ""
        let seq = data["seq"]?.int
        guard data["token"]?.string == world.options.token else {
            world.recorder.record(.gatewayResume(.init(sessionID: sessionID, seq: seq, accepted: false)))
            close(code: 4004, reason: "Authentication failed.")
            return
        }
        guard let session = world.gatewaySessions[sessionID], (seq ?? 0) <= session.sequence else {
            world.recorder.record(.gatewayResume(.init(sessionID: sessionID, seq: seq, accepted: false)))
            send(["op": 9, "d": false])
            return
        }
        world.recorder.record(.gatewayResume(.init(sessionID: sessionID, seq: seq, accepted: true)))
        session.connection?.detach(to: .draining)
        attach(session)
        session.replay(after: seq ?? 0)
        session.dispatch("RESUMED", nil)
    }

    private func attach(_ session: GatewaySessionState) {
        state = .identified(session)
        session.connection = self
    }

    private func voiceStateUpdate(_ data: JSONValue, session: GatewaySessionState) {
        let guildID = data["guild_id"]?.string ?? ""
        let channelID = data["channel_id"]?.string
        let request = FakeDiscord.VoiceStateRequest(
            guildID: guildID, channelID: channelID,
            selfMute: data["self_mute"]?.bool ?? false, selfDeaf: data["self_deaf"]?.bool ?? false,
            shard: session.shard?.id)
        guard session.owns(guildID) else {
            world.recorder.record(.voiceStateUpdateOnWrongShard(request))
            return
        }
        world.recorder.record(.voiceStateUpdate(request))
        world.fire(channelID == nil ? .onVoiceLeave : .onVoiceJoin)
        guard var guild = world.guilds[guildID] else { return }
        let bot = world.options.botUser
        let staleInSameChannel = channelID != nil && world.voiceSessions[guildID] == nil
            && guild.voiceStates.contains { $0.userID == bot.id && $0.channelID == channelID }
        guild.voiceStates.removeAll { $0.userID == bot.id }
        guard let channelID else {
            world.guilds[guildID] = guild
            if let voice = world.voiceSessions.removeValue(forKey: guildID) {
                voice.valid = false
                voice.connection?.close(code: 4014, reason: "Disconnected.")
            }
            session.dispatch("VOICE_STATE_UPDATE", voiceStatePayload(request, channelID: nil, session: session))
            return
        }
        guard let channel = guild.channels.first(where: { $0.id == channelID && $0.kind != .text }),
            world.options.joinResponse != .silence
        else { return }
        guild.voiceStates.append(
            .init(userID: bot.id, channelID: channelID, sessionID: session.id, suppress: channel.kind == .stageVoice))
        world.guilds[guildID] = guild
        guard !staleInSameChannel else {
            session.dispatch("VOICE_STATE_UPDATE", voiceStatePayload(request, channelID: channelID, session: session))
            return
        }
        let guildIndex = world.options.guilds.firstIndex { $0.id == guildID } ?? 0
        let voice = VoiceSessionState(
            guildID: guildID, channelID: channelID, userID: bot.id, sessionID: session.id,
            token: randomHex(8), ssrc: world.options.ssrc &+ UInt32(guildIndex))
        world.voiceSessions[guildID]?.valid = false
        world.voiceSessions[guildID] = voice
        let stateUpdate = voiceStatePayload(request, channelID: channelID, session: session)
        let serverUpdate: JSONValue = [
            "token": .string(voice.token), "guild_id": .string(guildID), "endpoint": .string(world.voiceEndpoint),
        ]
        if world.options.joinResponse == .serverThenState {
            session.dispatch("VOICE_SERVER_UPDATE", serverUpdate)
            session.dispatch("VOICE_STATE_UPDATE", stateUpdate)
        } else {
            session.dispatch("VOICE_STATE_UPDATE", stateUpdate)
            session.dispatch("VOICE_SERVER_UPDATE", serverUpdate)
        }
    }

    private func readyPayload(_ session: GatewaySessionState) -> JSONValue {
        [
            "v": 10,
            "user": userPayload(world.options.botUser),
            "guilds": .array(world.options.guilds.filter { session.owns($0.id) }.map { ["id": .string($0.id), "unavailable": true] }),
            "session_id": .string(session.id),
            "session_type": "normal",
            "resume_gateway_url": .string(world.resumeGatewayURL),
            "private_channels": [],
            "application": ["id": .string(world.options.botUser.id), "flags": 0],
        ]
    }

    /// GUILD_CREATE as a bot without the GUILD_MEMBERS intent sees it: `members` holds only
    /// the bot and users in voice channels, and `member_count` counts everyone.
    private func guildCreatePayload(_ guild: FakeDiscord.Guild) -> JSONValue {
        let inVoice = Set(guild.voiceStates.map(\.userID))
        let members = [world.options.botUser]
            + guild.members.filter { $0.id != world.options.botUser.id && inVoice.contains($0.id) }
        var payload: [String: JSONValue] = [
            "id": .string(guild.id),
            "name": .string(guild.name),
            "unavailable": false,
            "large": false,
            "member_count": .int(Int64(Set(guild.members.map(\.id) + [world.options.botUser.id]).count)),
            "owner_id": .string(guild.owner(bot: world.options.botUser)),
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "roles": .array(guild.roles.enumerated().map { index, role in
                [
                    "id": .string(role.id), "name": .string(role.name), "permissions": .string(String(role.permissions)),
                    "position": .int(Int64(index)), "color": 0, "hoist": false, "managed": false, "mentionable": false,
                    "flags": 0,
                ]
            }),
            "channels": .array(guild.channels.enumerated().map { index, channel in channelPayload(channel, index: index) }),
            "members": .array(members.map { memberPayload($0, in: guild) }),
            "threads": [],
            "presences": [],
            "stage_instances": [],
        ]
        if intents & Self.voiceStatesIntent != 0 {
            payload["voice_states"] = .array(guild.voiceStates.map { state in
                [
                    "channel_id": .string(state.channelID), "user_id": .string(state.userID),
                    "session_id": .string(state.sessionID), "deaf": false, "mute": false, "self_deaf": false,
                    "self_mute": false, "self_video": false, "suppress": .bool(state.suppress),
                    "request_to_speak_timestamp": nil,
                ]
            })
        }
        return .object(payload)
    }

    private func voiceStatePayload(
        _ request: FakeDiscord.VoiceStateRequest, channelID: String?, session: GatewaySessionState
    ) -> JSONValue {
        let guild = world.guilds[request.guildID]
        let bot = world.options.botUser
        return voiceStateObject(
            guildID: request.guildID, channelID: channelID, user: bot, guild: guild, sessionID: session.id,
            selfDeaf: request.selfDeaf, selfMute: request.selfMute,
            suppress: guild?.voiceStates.first { $0.userID == bot.id && $0.channelID == channelID }?.suppress ?? false)
    }
}

/// Payloads shared by GUILD_CREATE, voice states and interactions.
extension FakeDiscord.Guild {
    /// The owner id: the one set, else the first human member, else the bot.
    func owner(bot: FakeDiscord.User) -> String {
        ownerID ?? members.first(where: { !$0.bot })?.id ?? bot.id
    }

    /// The guild-wide permission bits of `userID`: @everyone and its roles OR'ed, all for the owner.
    func basePermissions(of userID: String, bot: FakeDiscord.User) -> UInt64 {
        guard userID != owner(bot: bot) else { return .max }
        let held = Set([id] + (memberRoles[userID] ?? []))
        return roles.filter { held.contains($0.id) }.reduce(0) { $0 | $1.permissions }
    }

    /// The permission bits of `userID` in `channelID`, as Discord computes them: the guild-wide
    /// bits (all for the owner and administrators), then the channel's @everyone overwrite, its
    /// role overwrites together, and the member's own overwrite.
    func channelPermissions(of userID: String, in channelID: String, bot: FakeDiscord.User) -> UInt64 {
        let base = basePermissions(of: userID, bot: bot)
        guard base & FakeDiscord.Permission.administrator == 0 else { return .max }
        let overwrites = channels.first { $0.id == channelID }?.overwrites ?? []
        func apply(_ bits: UInt64, _ matching: [FakeDiscord.Overwrite]) -> UInt64 {
            (bits & ~matching.reduce(0) { $0 | $1.deny }) | matching.reduce(0) { $0 | $1.allow }
        }
        let held = Set(memberRoles[userID] ?? [])
        var bits = apply(base, overwrites.filter { !$0.member && $0.id == id })
        bits = apply(bits, overwrites.filter { !$0.member && held.contains($0.id) })
        return apply(bits, overwrites.filter { $0.member && $0.id == userID })
    }
}

func channelPayload(_ channel: FakeDiscord.Channel, index: Int) -> JSONValue {
    [
        "id": .string(channel.id), "name": .string(channel.name), "type": .int(Int64(channel.kind.rawValue)),
        "position": .int(Int64(index)), "parent_id": channel.parentID.map(JSONValue.string) ?? nil,
        "permission_overwrites": .array(channel.overwrites.map { overwrite in
            [
                "id": .string(overwrite.id), "type": overwrite.member ? 1 : 0,
                "allow": .string(String(overwrite.allow)), "deny": .string(String(overwrite.deny)),
            ]
        }),
        "bitrate": channel.kind == .text ? nil : 64000,
        "user_limit": channel.kind == .text ? nil : .int(Int64(channel.userLimit)),
    ]
}

/// A voice state object as VOICE_STATE_UPDATE carries it, with the member.
func voiceStateObject(
    guildID: String, channelID: String?, user: FakeDiscord.User, guild: FakeDiscord.Guild?, sessionID: String,
    selfDeaf: Bool = false, selfMute: Bool = false, suppress: Bool = false
) -> JSONValue {
    [
        "guild_id": .string(guildID),
        "channel_id": channelID.map(JSONValue.string) ?? nil,
        "user_id": .string(user.id),
        "member": memberPayload(user, in: guild),
        "session_id": .string(sessionID),
        "deaf": false, "mute": false,
        "self_deaf": .bool(selfDeaf), "self_mute": .bool(selfMute),
        "self_video": false, "suppress": .bool(suppress), "request_to_speak_timestamp": nil,
    ]
}

func userPayload(_ user: FakeDiscord.User) -> JSONValue {
    [
        "id": .string(user.id), "username": .string(user.username), "discriminator": "0",
        "global_name": nil, "avatar": nil, "bot": .bool(user.bot),
    ]
}

func memberPayload(_ user: FakeDiscord.User, in guild: FakeDiscord.Guild?) -> JSONValue {
    [
        "user": userPayload(user), "roles": .array((guild?.memberRoles[user.id] ?? []).map(JSONValue.string)),
        "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0,
    ]
}

/// `bytes` random bytes as lowercase hex.
func randomHex(_ bytes: Int) -> String {
    (0..<bytes).map { _ in
        let byte = UInt8.random(in: 0...255)
        return String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
    }.joined()
}
