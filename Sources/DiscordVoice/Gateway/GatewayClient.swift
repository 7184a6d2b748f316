import Logging
import NIOSSL

/// The bot's user as READY reports it.
public struct BotUser: Sendable, Hashable {
    /// The bot's user id.
    public var id: Snowflake
    /// The bot's user name.
    public var name: String
}

/// Where and how to reach the voice server for one guild, from the two voice events.
public struct VoiceServerInfo: Sendable, Hashable {
    /// The guild (the voice `server_id`).
    public var guildID: Snowflake
    /// The voice channel joined.
    public var channelID: Snowflake
    /// The bot's user id.
    public var userID: Snowflake
    /// The bot's voice session id from VOICE_STATE_UPDATE.
    public var sessionID: String
    /// The voice token from VOICE_SERVER_UPDATE.
    public var token: String
    /// The voice endpoint `host:port`.
    public var endpoint: String
}

/// One long-lived session on Discord's main gateway (v10); voice connections are opened through it.
///
/// It heartbeats, detects zombie connections, follows RECONNECT and INVALID_SESSION, resumes at
/// `resume_gateway_url`, and keeps a voice-state cache per guild current.
public actor GatewayClient: MessageWaiting {
    enum Signal: Hashable, Sendable {
        /// IDENTIFY went out after the queue gave its turn.
        case identifySent
        /// Discord answered the IDENTIFY: READY, INVALID_SESSION, or a close.
        case identifyAnswered
        case ready
        case guild(Snowflake)
        /// The bot's own VOICE_STATE_UPDATE with no channel.
        case voiceLeft(Snowflake)
        /// The bot's own VOICE_STATE_UPDATE in a channel, not suppressed.
        case unsuppressed(Snowflake)
    }

    private enum State {
        case idle
        case connecting
        case connected
        case reconnecting
        case closed
    }

    private struct PendingJoin {
        let id: Int
        let channelID: Snowflake
        var sessionID: String?
        var server: (token: String, endpoint: String)?
        let continuation: CheckedContinuation<VoiceServerInfo, any Error>
        var timer: Task<Void, Never>?
    }

    /// Consecutive reconnects without a READY or RESUMED before giving up.
    static let maxReconnectAttempts = 3

    /// How this client reaches Discord.
    public nonisolated let configuration: DiscordVoice.Configuration
    let tls: NIOSSLContext
    private let identifyQueue: IdentifyQueue
    var waiters = Waiters<Signal>()
    private var logger: Logger
    private var state = State.idle
    private var socket: WebSocket?
    private var generation = 0
    private var heartbeatTask: Task<Void, Never>?
    /// The IDENTIFY waiting for its turn, off the socket's message handling.
    private var identifyTask: Task<Void, Never>?
    private var heartbeatAcked = true
    private var resumeOnHello = false
    private var sessionID: String?
    private var resumeURL: String?
    private var sequence: Int64?
    private var failedReconnects = 0
    var failure: DiscordVoiceError?

    /// Why the session ended for good, once it has: the reconnects ran out or Discord closed
    /// it with a code that forbids reconnecting.
    public var finalFailure: DiscordVoiceError? { failure }
    private var knownGuilds: Set<Snowflake> = []
    private var guilds: [Snowflake: Guild] = [:]
    private var pendingJoins: [Snowflake: PendingJoin] = [:]
    private var nextJoinID = 0
    private var unsentJoins: Set<Snowflake> = []
    private var sessionLive = false
    private var limiter = GatewaySendLimiter()
    private let eventContinuation: AsyncStream<GatewayEvent>.Continuation
    private var voiceConnections: [Snowflake: LiveVoice] = [:]

    /// A joined voice connection, told about the bot's own voice events after the join.
    private struct LiveVoice {
        weak var connection: VoiceConnection?
    }

    /// The bot user, once READY has arrived.
    public private(set) var user: BotUser?
    /// The bot's application id from READY (what interaction responses are addressed with).
    public private(set) var applicationID: Snowflake?
    /// Whether the session is READY (or RESUMED) on an open socket: what a health check reports.
    public var isReady: Bool { state != .closed && socket != nil && sessionLive }
    /// The shard id metrics carry: the configured shard's, else 0.
    private nonisolated var shardLabel: Int { configuration.shard?.id ?? 0 }
    /// Session events for a long-running bot, in arrival order; the stream ends when the client
    /// disconnects or fails for good, and an unread stream keeps only the newest 256.
    public nonisolated let events: AsyncStream<GatewayEvent>

    /// A client for `configuration`; loads the CA file now so a bad path fails early.
    ///
    /// Without ``DiscordVoice/Configuration/identifyQueue`` the client keeps its own queue,
    /// which still spaces its IDENTIFYs as Discord's `max_concurrency` of 1 asks.
    public init(configuration: DiscordVoice.Configuration) throws(DiscordVoiceError) {
        self.configuration = configuration
        self.logger = configuration.logger
        if let shard = configuration.shard { logger[metadataKey: "shard"] = "\(shard.id)/\(shard.count)" }
        self.identifyQueue = configuration.identifyQueue ?? IdentifyQueue(maxConcurrency: 1)
        self.tls = try TLSContext.make(caFile: configuration.caFile)
        (events, eventContinuation) = AsyncStream<GatewayEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
    }

    /// Connects, identifies and waits for READY.
    public func connect() async throws(DiscordVoiceError) {
        if let failure { throw failure }
        guard state == .idle else { return }
        state = .connecting
        do {
            try await openSocket(url: configuration.gatewayURL, resume: false)
            let turnWait = identifyQueue.longestStartWait + configuration.timeout
            _ = try await wait(
                for: .identifySent, timeout: turnWait,
                timeoutError: .gatewayTimeout(
                    waitingFor: "HELLO and a turn to IDENTIFY", seconds: Self.seconds(turnWait)))
            _ = try await wait(
                for: .ready, timeout: configuration.timeout,
                timeoutError: .gatewayTimeout(waitingFor: "READY", seconds: configuration.timeoutSeconds))
        } catch {
            await fail(error)
            throw error
        }
        if state == .connecting { state = .connected }
    }

    /// The guild's channels and voice states, waiting for its GUILD_CREATE if needed.
    public func guild(_ id: Snowflake) async throws(DiscordVoiceError) -> Guild {
        if let failure { throw failure }
        guard user != nil else { throw .notConnected }
        if let guild = guilds[id] { return guild }
        guard knownGuilds.contains(id) else { throw .unknownGuild(id) }
        _ = try await wait(
            for: .guild(id), timeout: configuration.timeout,
            timeoutError: .gatewayTimeout(waitingFor: "GUILD_CREATE for guild \(id)", seconds: configuration.timeoutSeconds))
        guard let guild = guilds[id] else { throw .unknownGuild(id) }
        return guild
    }

    /// The voice channel in `guild` with the most users that are not bots, among those the bot
    /// may join and speak in and that are not full for it.
    public func busiestVoiceChannel(in guildID: Snowflake) async throws(DiscordVoiceError) -> Snowflake {
        let guild = try await guild(guildID)
        guard let channel = guild.busiestVoiceChannel(excluding: user?.id) else {
            let populated = guild.busiestVoiceChannel(excluding: user?.id, joinableOnly: false) != nil
            throw populated ? .noJoinableVoiceChannel(guild: guildID) : .noPopulatedVoiceChannel(guild: guildID)
        }
        return channel
    }

    /// Joins a voice channel and completes the voice handshake, ready to play.
    ///
    /// When the bot already sits in a voice channel of the guild (say, left over from a crash),
    /// it leaves first and waits for Discord to confirm, since joining a channel it is already in
    /// may never bring a VOICE_SERVER_UPDATE. Several guilds may be joined concurrently.
    ///
    /// A stage is refused unless `allowingStage` is set and the bot holds Mute Members there; it
    /// then joins suppressed, and the caller makes it a speaker (Modify Current User Voice State
    /// over REST, then ``waitUntilSpeaker(guild:channel:)``) before playing.
    public func joinVoice(
        guild guildID: Snowflake, channel channelID: Snowflake, allowingStage: Bool = false
    ) async throws(DiscordVoiceError) -> VoiceConnection {
        let guild = try await guild(guildID)
        guard let channel = guild.channels[channelID] else { throw .unknownChannel(channelID, guild: guildID) }
        guard channel.isVoice else { throw .notAVoiceChannel(channelID) }
        if channel.isStage {
            guard allowingStage, let me = user?.id, guild.maySpeak(onStage: channelID, as: me) else {
                throw .stageChannel(channelID)
            }
        }
        if let me = user?.id {
            switch guild.joinProblem(for: me, in: channelID) {
            case .missing(let permissions)?: throw .missingPermissions(permissions, channel: channelID, guild: guildID)
            case .full(let limit)?: throw .channelFull(channelID, limit: limit)
            case nil: break
            }
            if guild.voiceStates[me]?.channelID != nil { try await leaveStaleVoiceState(guild: guildID) }
        }
        let server: VoiceServerInfo
        do {
            server = try await requestVoiceServer(guild: guildID, channel: channelID)
        } catch {
            await leaveVoice(guild: guildID)
            throw error
        }
        logger.info("joined voice channel \(channel.name.isEmpty ? channelID.description : channel.name)")
        let connection = VoiceConnection(gateway: self, server: server, configuration: configuration, tls: tls)
        do {
            try await connection.connect()
        } catch {
            await connection.leave()
            throw error
        }
        voiceConnections[guildID] = LiveVoice(connection: connection)
        return connection
    }

    /// Waits until Discord reports the bot a speaker on stage `channel` (its own
    /// VOICE_STATE_UPDATE there with `suppress: false`), at most the configured timeout.
    ///
    /// Returns at once when the voice state already says so, as when the update arrived before
    /// the REST answer that asked for it.
    public func waitUntilSpeaker(guild guildID: Snowflake, channel: Snowflake) async throws(DiscordVoiceError) {
        let deadline = ContinuousClock.now + configuration.timeout
        _ = waiters.take(.unsuppressed(guildID))
        while true {
            if let me = user?.id, let state = guilds[guildID]?.voiceStates[me], state.channelID == channel, !state.suppress {
                return
            }
            _ = try await wait(
                for: .unsuppressed(guildID), timeout: deadline - ContinuousClock.now,
                timeoutError: .gatewayTimeout(
                    waitingFor: "the VOICE_STATE_UPDATE making the bot a speaker on stage \(channel)",
                    seconds: configuration.timeoutSeconds))
        }
    }

    /// Closes the session: no more reconnects, pending waits fail.
    public func disconnect() async {
        guard state != .closed else { return }
        state = .closed
        heartbeatTask?.cancel()
        identifyTask?.cancel()
        generation += 1
        let socket = self.socket
        self.socket = nil
        failPending(with: .notConnected)
        eventContinuation.finish()
        await socket?.close(code: 1000)
        logger.info("gateway disconnected")
    }

    /// Sends op 4 for `channel` and waits for both VOICE_STATE_UPDATE (own) and VOICE_SERVER_UPDATE.
    func requestVoiceServer(guild: Snowflake, channel: Snowflake) async throws(DiscordVoiceError) -> VoiceServerInfo {
        if let failure { throw failure }
        guard user != nil else { throw .notConnected }
        if let previous = pendingJoins.removeValue(forKey: guild) {
            previous.timer?.cancel()
            previous.continuation.resume(throwing: DiscordVoiceError.cancelled)
        }
        nextJoinID += 1
        let id = nextJoinID
        let timeout = configuration.timeout
        let timeoutError = DiscordVoiceError.voiceJoinTimeout(
            guild: guild, channel: channel, seconds: configuration.timeoutSeconds)
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<VoiceServerInfo, any Error>) in
                    let timer = Task { [weak self] in
                        try? await Task.sleep(for: timeout)
                        guard !Task.isCancelled else { return }
                        await self?.failJoin(guild: guild, id: id, with: timeoutError)
                    }
                    pendingJoins[guild] = PendingJoin(
                        id: id, channelID: channel, continuation: continuation, timer: timer)
                    Task { await self.sendJoin(guild: guild, channel: channel) }
                }
            } onCancel: {
                Task { await self.failJoin(guild: guild, id: id, with: .cancelled) }
            }
        } catch let error as DiscordVoiceError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Leaves voice in `guild` (op 4 with a null channel) without waiting for Discord to confirm.
    ///
    /// ``VoiceConnection/leave()`` calls this and also closes the voice sockets; call it directly
    /// only where no connection exists, as after a failed join.
    public func leaveVoice(guild: Snowflake) async {
        if let pending = pendingJoins.removeValue(forKey: guild) {
            pending.timer?.cancel()
            pending.continuation.resume(throwing: DiscordVoiceError.cancelled)
        }
        await send(
            GatewayPayload(
                opcode: .voiceStateUpdate,
                data: ["guild_id": guild.json, "channel_id": nil, "self_mute": false, "self_deaf": false]))
    }

    /// Sends a leave and waits for the bot's VOICE_STATE_UPDATE without a channel.
    private func leaveStaleVoiceState(guild: Snowflake) async throws(DiscordVoiceError) {
        logger.info("leaving the voice channel the bot was left in, in guild \(guild)")
        _ = waiters.take(.voiceLeft(guild))
        await leaveVoice(guild: guild)
        _ = try await wait(
            for: .voiceLeft(guild), timeout: configuration.timeout,
            timeoutError: .gatewayTimeout(
                waitingFor: "the VOICE_STATE_UPDATE confirming the bot left voice in guild \(guild)",
                seconds: configuration.timeoutSeconds))
    }

    /// Stops telling `connection` about voice events: it left.
    func forgetVoice(_ connection: VoiceConnection) {
        if voiceConnections[connection.guildID]?.connection === connection {
            voiceConnections.removeValue(forKey: connection.guildID)
        }
    }

    private func sendJoin(guild: Snowflake, channel: Snowflake) async {
        guard socket != nil, sessionLive else {
            unsentJoins.insert(guild)
            return
        }
        unsentJoins.remove(guild)
        await send(
            GatewayPayload(
                opcode: .voiceStateUpdate,
                data: ["guild_id": guild.json, "channel_id": channel.json, "self_mute": false, "self_deaf": true]))
    }

    private func failJoin(guild: Snowflake, id: Int, with error: DiscordVoiceError) {
        guard let pending = pendingJoins[guild], pending.id == id else { return }
        pendingJoins.removeValue(forKey: guild)
        pending.timer?.cancel()
        pending.continuation.resume(throwing: error)
    }

    private func completeJoinIfReady(guild: Snowflake) {
        guard let pending = pendingJoins[guild], let sessionID = pending.sessionID, let server = pending.server,
            let user
        else { return }
        pendingJoins.removeValue(forKey: guild)
        pending.timer?.cancel()
        pending.continuation.resume(
            returning: VoiceServerInfo(
                guildID: guild, channelID: pending.channelID, userID: user.id, sessionID: sessionID,
                token: server.token, endpoint: server.endpoint))
    }

    // MARK: Socket lifecycle

    private func openSocket(url: String, resume: Bool) async throws(DiscordVoiceError) {
        let socket = try await WebSocket.connect(
            to: try WebSocketURL(url), tls: tls, timeout: configuration.timeout)
        generation += 1
        let current = generation
        self.socket = socket
        sessionLive = false
        limiter = GatewaySendLimiter()
        resumeOnHello = resume
        waiters.forgetArrived()
        logger.debug("gateway socket open at \(url)")
        socket.forwardEvents { [weak self] event in await self?.handle(event, generation: current) }
    }

    private func handle(_ event: WebSocket.Event, generation current: Int) async {
        guard current == generation else { return }
        switch event {
        case .text(let text):
            do {
                try await handle(GatewayPayload(text: text))
            } catch {
                logger.debug("gateway ignored a message: \(error)")
            }
        case .binary:
            logger.debug("gateway ignored a binary message")
        case .closed(let code, let reason):
            await handleClose(code: code, reason: reason)
        }
    }

    private func handleClose(code: UInt16?, reason: String) async {
        socket = nil
        heartbeatTask?.cancel()
        waiters.deliver(.identifyAnswered, nil)
        guard state != .closed else { return }
        logger.info("gateway closed: code \(code.map(String.init) ?? "none") \(reason)")
        guard let code, code >= 4000 else {
            await reconnect(resume: true)
            return
        }
        let closeCode = GatewayCloseCode(code)
        guard closeCode.allowsReconnect else {
            await fail(.gatewayClosed(closeCode, reason: reason))
            return
        }
        if !closeCode.allowsResume {
            sessionID = nil
            sequence = nil
        }
        await reconnect(resume: closeCode.allowsResume)
    }

    private func reconnect(resume: Bool) async {
        guard state != .closed, state != .reconnecting else { return }
        state = .reconnecting
        GatewayMetrics.recordReconnect(shard: shardLabel)
        heartbeatTask?.cancel()
        generation += 1
        if let old = socket {
            socket = nil
            Task { await old.close(code: 4000, reason: "reconnecting") }
        }
        while state == .reconnecting {
            failedReconnects += 1
            guard failedReconnects <= Self.maxReconnectAttempts else {
                await fail(.reconnectFailed(attempts: Self.maxReconnectAttempts))
                return
            }
            if failedReconnects > 1 {
                try? await Task.sleep(for: .milliseconds(500 * (failedReconnects - 1)))
            }
            let resuming = resume && sessionID != nil
            let url = resuming ? resumeGatewayURL() : configuration.gatewayURL
            logger.info("gateway reconnecting (\(resuming ? "resume" : "identify")) to \(url)")
            do {
                try await openSocket(url: url, resume: resuming)
                state = .connected
            } catch {
                logger.info("gateway reconnect failed: \(error)")
            }
        }
    }

    /// READY's resume_gateway_url with the configured gateway's version and encoding query added.
    private func resumeGatewayURL() -> String {
        guard let resumeURL, let base = try? WebSocketURL(resumeURL) else { return configuration.gatewayURL }
        guard !base.target.contains("?"), let gateway = try? WebSocketURL(configuration.gatewayURL),
            let query = gateway.target.split(separator: "?", maxSplits: 1).dropFirst().first
        else { return resumeURL }
        var url = base
        url.target = (base.target.hasSuffix("/") ? base.target : base.target + "/") + "?" + query
        return url.description
    }

    private func fail(_ error: DiscordVoiceError) async {
        guard state != .closed else { return }
        state = .closed
        failure = error
        heartbeatTask?.cancel()
        identifyTask?.cancel()
        generation += 1
        failPending(with: error)
        eventContinuation.finish()
        let socket = self.socket
        self.socket = nil
        await socket?.abort()
    }

    private func failPending(with error: DiscordVoiceError) {
        waiters.failAll(with: error)
        for (guild, pending) in pendingJoins {
            pendingJoins.removeValue(forKey: guild)
            pending.timer?.cancel()
            pending.continuation.resume(throwing: error)
        }
    }

    // MARK: Messages

    /// Sends `payload` within the send limit: an ordinary send waits for a free slot (up to the
    /// configured timeout, then it is dropped with a log line); a heartbeat never waits.
    private func send(_ payload: GatewayPayload, heartbeat: Bool = false) async {
        let deadline = ContinuousClock.now + configuration.timeout
        while !limiter.take(at: .now, heartbeat: heartbeat) {
            let delay = limiter.delay(at: .now, heartbeat: heartbeat)
            guard ContinuousClock.now + delay <= deadline else {
                logger.info("gateway send limit: dropped an op \(payload.opcode.code) that waited too long")
                return
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
        }
        guard let socket else { return }
        logger.debug("gateway -> \(payload.json.redacted.serialized)")
        try? await socket.send(text: payload.json.serialized)
    }

    private func handle(_ payload: GatewayPayload) async {
        if let sequence = payload.sequence { self.sequence = sequence }
        logger.debug(
            "gateway <- op \(payload.opcode.code) \(payload.event ?? "") \(payload.data.redacted.serialized)")
        switch payload.opcode {
        case .hello:
            let interval = payload.data["heartbeat_interval"]?.int ?? 41_250
            startHeartbeat(intervalMilliseconds: interval)
            if resumeOnHello, let sessionID {
                await send(
                    GatewayPayload(
                        opcode: .resume,
                        data: ["token": .string(configuration.token), "session_id": .string(sessionID),
                            "seq": sequence.map { .int($0) } ?? nil]))
            } else {
                scheduleIdentify()
            }
        case .heartbeat:
            await sendHeartbeat()
        case .heartbeatACK:
            heartbeatAcked = true
        case .reconnect:
            logger.info("gateway asked to reconnect")
            await reconnect(resume: true)
        case .invalidSession:
            await invalidSession(resumable: payload.data.bool ?? false)
        case .dispatch:
            await dispatch(event: payload.event ?? "", data: payload.data)
        default:
            break
        }
    }

    /// Sends IDENTIFY after `delay`, in the turn the identify queue gives, from a task of its
    /// own: the socket's heartbeat ACKs and other messages go on being read meanwhile.
    private func scheduleIdentify(after delay: Duration = .zero) {
        identifyTask?.cancel()
        let current = generation
        identifyTask = Task { [weak self] in
            if delay > .zero { try? await Task.sleep(for: delay) }
            guard !Task.isCancelled else { return }
            await self?.identify(generation: current)
        }
    }

    /// Sends IDENTIFY in the turn the identify queue gives, and holds the turn until Discord
    /// answers it (READY, INVALID_SESSION or a close), so the bucket's interval counts from
    /// after Discord saw it; a socket replaced meanwhile gets none.
    private func identify(generation current: Int) async {
        guard current == generation, let turn = await identifyQueue.turn(for: configuration.shard?.id ?? 0) else { return }
        guard current == generation, socket != nil else {
            await identifyQueue.release(turn, sent: false)
            return
        }
        var data: [String: JSONValue] = [
            "token": .string(configuration.token),
            "intents": .int(GatewayIntents.guilds | GatewayIntents.guildVoiceStates),
            "properties": ["os": "linux", "browser": "scream", "device": "scream"],
        ]
        if let shard = configuration.shard {
            data["shard"] = [.int(Int64(shard.id)), .int(Int64(shard.count))]
        }
        _ = waiters.take(.identifyAnswered)
        await send(GatewayPayload(opcode: .identify, data: .object(data)))
        waiters.deliver(.identifySent, nil)
        _ = try? await wait(
            for: .identifyAnswered, timeout: configuration.timeout,
            timeoutError: .gatewayTimeout(waitingFor: "the answer to IDENTIFY", seconds: configuration.timeoutSeconds))
        await identifyQueue.release(turn, sent: true)
    }

    /// `duration` in seconds, for error sentences.
    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func invalidSession(resumable: Bool) async {
        logger.info("gateway session invalidated (resumable: \(resumable))")
        waiters.deliver(.identifyAnswered, nil)
        if resumable {
            await reconnect(resume: true)
            return
        }
        failedReconnects += 1
        guard failedReconnects <= Self.maxReconnectAttempts else {
            await fail(.invalidSession)
            return
        }
        sessionID = nil
        sequence = nil
        sessionLive = false
        scheduleIdentify(after: .milliseconds(Int.random(in: 1000...5000)))
    }

    private func dispatch(event: String, data: JSONValue) async {
        switch event {
        case "READY":
            guard let id = data["user"]?["id"]?.snowflake else { return }
            let name = data["user"]?["username"]?.string ?? id.description
            let replacing = user != nil
            user = BotUser(id: id, name: name)
            applicationID = data["application"]?["id"]?.snowflake
            sessionID = data["session_id"]?.string
            resumeURL = data["resume_gateway_url"]?.string
            guilds = [:]
            waiters.forgetArrived()
            knownGuilds = Set((data["guilds"]?.array ?? []).compactMap { $0["id"]?.snowflake })
            failedReconnects = 0
            sessionLive = true
            logger.info("gateway connected as \(name)")
            waiters.deliver(.ready, data)
            waiters.deliver(.identifyAnswered, nil)
            if replacing { eventContinuation.yield(.sessionReplaced) }
            await resendPendingJoins(onlyUnsent: false)
        case "RESUMED":
            failedReconnects = 0
            sessionLive = true
            logger.info("gateway session resumed")
            GatewayMetrics.recordResume(shard: shardLabel)
            eventContinuation.yield(.resumed)
            await resendPendingJoins(onlyUnsent: true)
        case "GUILD_CREATE", "GUILD_DELETE", "GUILD_UPDATE", "CHANNEL_CREATE", "CHANNEL_UPDATE", "CHANNEL_DELETE",
            "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE", "GUILD_ROLE_DELETE", "GUILD_MEMBER_UPDATE":
            applyGuildEvent(event, data)
        case "INTERACTION_CREATE":
            eventContinuation.yield(.interaction(data))
        case "VOICE_STATE_UPDATE":
            guard let guild = data["guild_id"]?.snowflake, let state = VoiceState(json: data) else { return }
            guilds[guild]?.apply(state)
            guard state.userID == user?.id else { return }
            if state.channelID == nil { waiters.deliver(.voiceLeft(guild), data) }
            if state.channelID != nil, !state.suppress { waiters.deliver(.unsuppressed(guild), data) }
            if pendingJoins[guild] == nil {
                await voiceConnections[guild]?.connection?.gatewayUpdate(
                    .state(channelID: state.channelID, sessionID: state.sessionID))
            } else if let channel = state.channelID, pendingJoins[guild]?.channelID == channel {
                pendingJoins[guild]?.sessionID = state.sessionID
                completeJoinIfReady(guild: guild)
            }
        case "VOICE_SERVER_UPDATE":
            guard let guild = data["guild_id"]?.snowflake, let token = data["token"]?.string else { return }
            let endpoint = data["endpoint"]?.string
            guard pendingJoins[guild] != nil else {
                await voiceConnections[guild]?.connection?.gatewayUpdate(.server(token: token, endpoint: endpoint))
                return
            }
            guard let endpoint else { return }
            pendingJoins[guild]?.server = (token, endpoint)
            completeJoinIfReady(guild: guild)
        default:
            break
        }
    }

    /// Keeps guild state current; announces guilds coming, going out for an outage, and removed.
    private func applyGuildEvent(_ event: String, _ data: JSONValue) {
        let guildID = data["guild_id"]?.snowflake
        switch event {
        case "GUILD_CREATE":
            guard let id = data["id"]?.snowflake else { return }
            knownGuilds.insert(id)
            guard data["unavailable"]?.bool != true, let guild = Guild(guildCreate: data) else {
                guilds.removeValue(forKey: id)
                eventContinuation.yield(.guildUnavailable(id))
                return
            }
            guilds[id] = guild
            waiters.deliver(.guild(id), data)
            eventContinuation.yield(.guildAvailable(id))
        case "GUILD_DELETE":
            guard let id = data["id"]?.snowflake else { return }
            guilds.removeValue(forKey: id)
            if data["unavailable"]?.bool == true {
                eventContinuation.yield(.guildUnavailable(id))
            } else {
                knownGuilds.remove(id)
                eventContinuation.yield(.guildRemoved(id))
            }
        case "GUILD_UPDATE":
            if let id = data["id"]?.snowflake { guilds[id]?.update(from: data) }
        case "CHANNEL_CREATE", "CHANNEL_UPDATE":
            if let guildID, let channel = GuildChannel(json: data) { guilds[guildID]?.channels[channel.id] = channel }
        case "CHANNEL_DELETE":
            if let guildID, let id = data["id"]?.snowflake { guilds[guildID]?.channels.removeValue(forKey: id) }
        case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE":
            if let guildID, let role = data["role"] { guilds[guildID]?.applyRole(role) }
        case "GUILD_ROLE_DELETE":
            if let guildID, let role = data["role_id"]?.snowflake { guilds[guildID]?.roles.removeValue(forKey: role) }
        case "GUILD_MEMBER_UPDATE":
            if let guildID { guilds[guildID]?.applyMember(data) }
        default:
            break
        }
    }

    /// After READY every pending join is sent again (a new session knows none); after RESUMED
    /// Discord replays missed events, so only joins that never left the client are sent.
    private func resendPendingJoins(onlyUnsent: Bool) async {
        for (guild, pending) in pendingJoins.sorted(by: { $0.key < $1.key })
        where !onlyUnsent || unsentJoins.contains(guild) {
            await sendJoin(guild: guild, channel: pending.channelID)
        }
    }

    // MARK: Heartbeat

    private func startHeartbeat(intervalMilliseconds: Int64) {
        heartbeatTask?.cancel()
        heartbeatAcked = true
        let current = generation
        let interval = Duration.milliseconds(intervalMilliseconds)
        heartbeatTask = Task { [weak self] in
            try? await Task.sleep(for: interval * Double.random(in: 0..<1))
            while !Task.isCancelled {
                guard let self, await self.beat(generation: current) else { return }
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func beat(generation current: Int) async -> Bool {
        guard current == generation, state != .closed else { return false }
        guard heartbeatAcked else {
            logger.info("gateway missed a heartbeat ACK; reconnecting")
            await reconnect(resume: true)
            return false
        }
        heartbeatAcked = false
        await sendHeartbeat()
        return true
    }

    private func sendHeartbeat() async {
        await send(GatewayPayload(opcode: .heartbeat, data: sequence.map { .int($0) } ?? nil), heartbeat: true)
    }
}

/// Gateway intent bits this client asks for.
enum GatewayIntents {
    /// GUILDS: guild and channel events.
    static let guilds: Int64 = 1 << 0
    /// GUILD_VOICE_STATES: voice state and voice server events.
    static let guildVoiceStates: Int64 = 1 << 7
}
