import DAVE
import Logging
import NIOSSL

/// A connection to one guild's voice server: voice gateway v8 plus the UDP audio transport.
///
/// Created by ``GatewayClient/joinVoice(guild:channel:)`` with the handshake done; ``play(_:)``
/// streams Opus packets and leaves at the end. With DAVE negotiated, the connection runs a
/// `DAVE.Session` on the voice gateway's DAVE messages and encrypts each frame end to end;
/// the raw messages are also handed out through ``daveMessages``. When Discord replaces the voice
/// server or a moderator moves the bot, the connection follows (see `VoiceConnection+Relocation`).
public actor VoiceConnection: MessageWaiting {
    enum Signal: Hashable, Sendable {
        case hello
        case ready
        case sessionDescription
        case resumed
    }

    enum State {
        case connecting
        case ready
        case recovering
        /// The voice server closed with 4014 or 4022: waiting for the main gateway to say where the bot went.
        case awaitingMove
        case closed
    }

    /// Resumes allowed over the connection's life before giving up.
    static let maxResumes = 3

    /// The guild (voice server id).
    public nonisolated let guildID: Snowflake
    /// The voice channel the bot is in (a moderator may move it).
    public var channelID: Snowflake { server.channelID }
    /// DAVE opcodes 21–31 from the voice gateway, in order, for observers; the connection runs
    /// its own DAVE session, and an unread stream keeps only the newest 256 messages.
    public nonisolated let daveMessages: AsyncStream<VoiceMessage>

    /// The SSRC the voice server assigned.
    public internal(set) var ssrc: UInt32 = 0
    /// The transport encryption mode in use.
    public internal(set) var encryptionMode: TransportEncryptionMode?
    /// The DAVE protocol version from SESSION_DESCRIPTION (0: no DAVE).
    public internal(set) var daveProtocolVersion: Int64 = 0
    /// Users in the call as CLIENTS_CONNECT and CLIENT_DISCONNECT report them.
    public internal(set) var connectedUsers: Set<Snowflake> = []
    /// Whether another play can follow on this connection: it was neither left nor lost.
    public var isUsable: Bool { state != .closed && failure == nil }

    var waiters = Waiters<Signal>()
    let gateway: GatewayClient
    let configuration: DiscordVoice.Configuration
    let tls: NIOSSLContext
    let logger: Logger
    let daveContinuation: AsyncStream<VoiceMessage>.Continuation
    var server: VoiceServerInfo
    var state = State.connecting
    var socket: WebSocket?
    var generation = 0
    var heartbeatTask: Task<Void, Never>?
    var heartbeatAcked = true
    var lastSequence: Int64 = -1
    var lastClose: (code: UInt16?, reason: String)?
    var resumes = 0
    var rejoined = false
    /// Joining again after 4006: the main gateway's answers belong to that join.
    var rejoining = false
    /// Bumped whenever a new voice session replaces the current one; a connect that started under
    /// an older value gives up.
    var sessionEpoch = 0
    /// The move to a new voice server in progress, if any.
    var relocation: Task<Void, Never>?
    /// The wait after a 4014 or 4022 close for the main gateway to explain it.
    var moveGrace: Task<Void, Never>?
    /// When a VOICE_SERVER_UPDATE came with no channel change before it: a VOICE_STATE_UPDATE naming
    /// another channel right after it belongs to the same move.
    var serverMovedAlone: ContinuousClock.Instant?
    /// A VOICE_STATE_UPDATE named another channel since the last VOICE_SERVER_UPDATE.
    var channelChangedSinceServerUpdate = false
    var failure: DiscordVoiceError?
    var udp: VoiceUDPSocket?
    let sender = RealtimeSender()
    var speaking = false
    /// The DAVE session, when the bot announced DAVE support.
    var dave: DAVE.Session?
    /// The DAVE media state applied to outgoing frames.
    var daveOutput = DAVEOutput()

    init(gateway: GatewayClient, server: VoiceServerInfo, configuration: DiscordVoice.Configuration, tls: NIOSSLContext) {
        self.gateway = gateway
        self.server = server
        self.guildID = server.guildID
        self.configuration = configuration
        self.tls = tls
        self.logger = configuration.logger
        (daveMessages, daveContinuation) = AsyncStream<VoiceMessage>.makeStream(bufferingPolicy: .bufferingNewest(256))
    }

    /// Leaves the channel (op 4 with no channel) and closes both sockets; safe to call twice.
    public func leave() async {
        guard state != .closed else { return }
        state = .closed
        heartbeatTask?.cancel()
        moveGrace?.cancel()
        generation += 1
        sessionEpoch += 1
        waiters.failAll(with: .cancelled)
        await gateway.forgetVoice(self)
        await gateway.leaveVoice(guild: guildID)
        let socket = self.socket
        self.socket = nil
        await socket?.close(code: 1000)
        sender.setTransport(nil)
        udp?.close()
        udp = nil
        daveContinuation.finish()
        logger.info("left voice channel \(channelID)")
    }

    /// Sends a binary DAVE message `[opcode][payload]` to the voice gateway.
    public func sendDAVE(opcode: UInt8, binary payload: [UInt8]) async throws(DiscordVoiceError) {
        guard let socket else { throw failure ?? .notConnected }
        logger.debug("voice -> binary op \(opcode), \(payload.count) bytes")
        try await socket.send(binary: VoiceMessage.clientBinary(opcode: opcode, payload: payload))
    }

    /// Sends a JSON DAVE message `{op, d}` to the voice gateway.
    public func sendDAVE(opcode: UInt8, json data: JSONValue) async throws(DiscordVoiceError) {
        guard socket != nil else { throw failure ?? .notConnected }
        await send(.dave(opcode), data)
    }

    // MARK: Messages

    func send(_ opcode: VoiceOpcode, _ data: JSONValue) async {
        guard let socket else { return }
        let json: JSONValue = ["op": .int(opcode.code), "d": data]
        logger.debug("voice -> \(json.redacted.serialized)")
        try? await socket.send(text: json.serialized)
    }

    func handle(_ event: WebSocket.Event, generation current: Int) async {
        guard current == generation else { return }
        do {
            switch event {
            case .text(let text):
                let message = try VoiceMessage(text: text)
                handle(message)
                await feedDAVE(message)
            case .binary(let bytes):
                let message = try VoiceMessage(serverBinary: bytes)
                handle(message)
                await feedDAVE(message)
            case .closed(let code, let reason):
                await handleClose(code: code, reason: reason)
            }
        } catch {
            logger.debug("voice ignored a message: \(error)")
        }
    }

    private func handle(_ message: VoiceMessage) {
        if let sequence = message.sequence { lastSequence = sequence }
        switch message.body {
        case .json(let data):
            logger.debug("voice <- op \(message.opcode.code) \(data.redacted.serialized)")
        case .binary(let bytes):
            logger.debug("voice <- binary op \(message.opcode.code), \(bytes.count) bytes")
        }
        switch message.opcode {
        case .hello:
            startHeartbeat(interval: Self.heartbeatInterval(hello: message.data))
            waiters.deliver(.hello, message.data)
        case .ready: waiters.deliver(.ready, message.data)
        case .sessionDescription: waiters.deliver(.sessionDescription, message.data)
        case .resumed: waiters.deliver(.resumed, message.data)
        case .heartbeatACK: heartbeatAcked = true
        case .clientsConnect:
            for user in message.data["user_ids"]?.array ?? [] {
                if let id = user.snowflake { connectedUsers.insert(id) }
            }
        case .clientDisconnect:
            if let id = message.data["user_id"]?.snowflake { connectedUsers.remove(id) }
        case .dave:
            daveContinuation.yield(message)
        default:
            break
        }
    }

    // MARK: Heartbeat

    func startHeartbeat(interval: Duration) {
        heartbeatTask?.cancel()
        heartbeatAcked = true
        let current = generation
        heartbeatTask = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, await self.beat(generation: current) else { return }
            }
        }
    }

    private func beat(generation current: Int) async -> Bool {
        guard current == generation, let socket, state != .closed else { return false }
        guard heartbeatAcked else {
            logger.info("voice gateway missed a heartbeat ACK; dropping the socket to resume")
            await socket.abort()
            return false
        }
        heartbeatAcked = false
        let nonce = Int64.random(in: 1...(1 << 52))
        await send(.heartbeat, ["t": .int(nonce), "seq_ack": .int(lastSequence)])
        return true
    }
}
