import NIOCore

/// One voice gateway (v8) WebSocket connection.
final class VoiceGatewaySession: WebSocketSession {
    private enum State {
        case awaitingIdentify
        case identified(VoiceSessionState)
        case closed
    }

    /// Voice close codes after which the voice session cannot be resumed.
    private static let sessionEndingCodes: Set<UInt16> = [4006, 4014, 4021, 4022]

    private let world: World
    /// Which of the fake's two voice servers this connection reached.
    private let server: Int
    private var socket: WebSocketConnection?
    private var state = State.awaitingIdentify
    private var number = 0
    /// When true, heartbeats are recorded but never ACKed.
    var zombie = false

    init(world: World, server: Int) {
        self.world = world
        self.server = server
    }

    func didOpen(_ socket: WebSocketConnection) {
        self.socket = socket
        world.voiceConnections += 1
        number = world.voiceConnections
        world.currentVoice = self
        world.recorder.record(.voiceConnected(connection: number))
        if !world.options.voiceReadyBeforeHello { sendHello() }
    }

    private func sendHello() {
        send(["op": 8, "d": ["v": 8, "heartbeat_interval": .int(world.options.voiceHeartbeatInterval.milliseconds)]])
    }

    func didReceiveText(_ text: String) {
        guard let message = JSONValue(parsing: text), let op = message["op"]?.int else {
            close(code: 4002, reason: "Failed to decode payload.")
            return
        }
        let data = message["d"] ?? .null
        switch op {
        case 0: identify(data)
        case 3: heartbeat(data)
        case 7: resume(data)
        default:
            guard case .identified(let session) = state else {
                close(code: 4003, reason: "Not authenticated.")
                return
            }
            switch op {
            case 1: selectProtocol(data, session: session)
            case 5: speaking(data)
            default: world.recorder.record(.voiceJSON(op: op, raw: text))
            }
        }
    }

    func didReceiveBinary(_ bytes: [UInt8]) {
        guard case .identified = state, let op = bytes.first else {
            close(code: 4003, reason: "Not authenticated.")
            return
        }
        world.recorder.record(.voiceBinary(op: op, payload: Array(bytes.dropFirst())))
    }

    func didClose(by closer: FakeDiscord.Closer, code: UInt16?, reason: String) {
        if case .identified(let session) = state, closer == .server, let code,
            Self.sessionEndingCodes.contains(code)
        {
            session.valid = false
        }
        state = .closed
        socket = nil
        world.recorder.record(.voiceClosed(connection: number, by: closer, code: code, reason: reason))
    }

    /// Sends a message of the session this connection carries.
    func deliver(_ message: VoiceSessionState.Outgoing) {
        switch message {
        case .text(let text): socket?.sendText(text)
        case .binary(let bytes): socket?.sendBinary(bytes)
        }
    }

    func close(code: UInt16, reason: String) {
        socket?.close(code: code, reason: reason)
    }

    func drop() {
        socket?.drop()
    }

    /// The voice session this connection carries, if identified.
    var session: VoiceSessionState? {
        if case .identified(let session) = state { session } else { nil }
    }

    private func send(_ message: JSONValue) {
        socket?.sendText(message.text)
    }

    private func handshake(_ data: JSONValue) -> FakeDiscord.VoiceHandshake {
        FakeDiscord.VoiceHandshake(
            serverID: data["server_id"]?.string ?? "", userID: data["user_id"]?.string,
            sessionID: data["session_id"]?.string ?? "", token: data["token"]?.string ?? "",
            maxDaveProtocolVersion: data["max_dave_protocol_version"]?.int, seqAck: data["seq_ack"]?.int,
            accepted: false)
    }

    /// Finds the voice session a handshake names, or closes with the code Discord would use.
    private func validate(_ handshake: FakeDiscord.VoiceHandshake) -> VoiceSessionState? {
        guard let session = world.voiceSessions[handshake.serverID] else {
            close(code: 4011, reason: "Server not found.")
            return nil
        }
        guard session.valid, session.sessionID == handshake.sessionID, session.server == server else {
            close(code: 4006, reason: "Session is no longer valid.")
            return nil
        }
        guard session.token == handshake.token else {
            close(code: 4004, reason: "Authentication failed.")
            return nil
        }
        return session
    }

    private func identify(_ data: JSONValue) {
        guard let session = accept(data, as: FakeDiscord.Event.voiceIdentify) else { return }
        session.reset()
        session.sendJSON(
            op: 2,
            [
                "ssrc": .int(Int64(session.ssrc)), "ip": "127.0.0.1", "port": .int(Int64(world.udpPort)),
                "modes": .array(world.options.modes.map(JSONValue.string)), "heartbeat_interval": 1,
                "experiments": [],
            ])
        if world.options.voiceReadyBeforeHello { sendHello() }
    }

    private func resume(_ data: JSONValue) {
        guard let session = accept(data, as: FakeDiscord.Event.voiceResume) else { return }
        session.replay(after: max(data["seq_ack"]?.int ?? 0, 0))
        send(["op": 9, "d": nil])
        if world.options.voiceReadyBeforeHello { sendHello() }
    }

    /// Validates and records an IDENTIFY or RESUME; on success this connection takes the session over.
    private func accept(
        _ data: JSONValue, as event: (FakeDiscord.VoiceHandshake) -> FakeDiscord.Event
    ) -> VoiceSessionState? {
        guard case .awaitingIdentify = state else {
            close(code: 4005, reason: "Already authenticated.")
            return nil
        }
        var handshake = handshake(data)
        let session = validate(handshake)
        handshake.accepted = session != nil
        world.recorder.record(event(handshake))
        guard let session else { return nil }
        session.connection?.socket?.drop()
        attach(session)
        return session
    }

    private func attach(_ session: VoiceSessionState) {
        state = .identified(session)
        session.connection = self
    }

    private func heartbeat(_ data: JSONValue) {
        let nonce = data["t"]?.int64 ?? data.int64
        world.recorder.record(.voiceHeartbeat(nonce: nonce, seqAck: data["seq_ack"]?.int, acked: !zombie))
        guard !zombie else { return }
        send(["op": 6, "d": ["t": nonce.map(JSONValue.int) ?? nil]])
    }

    private func selectProtocol(_ data: JSONValue, session: VoiceSessionState) {
        let details = data["data"] ?? .null
        let selection = FakeDiscord.SelectProtocol(
            protocolName: data["protocol"]?.string ?? "", address: details["address"]?.string ?? "",
            port: details["port"]?.int ?? 0, mode: details["mode"]?.string ?? "")
        world.recorder.record(.voiceSelectProtocol(selection))
        guard selection.protocolName == "udp" else {
            close(code: 4012, reason: "Unknown protocol.")
            return
        }
        guard world.options.modes.contains(selection.mode), let mode = TransportCipher.Mode(rawValue: selection.mode)
        else {
            close(code: 4016, reason: "Unknown encryption mode.")
            return
        }
        let key = (0..<32).map { _ in UInt8.random(in: 0...255) }
        world.ciphers[session.ssrc] = TransportCipher(mode: mode, key: key)
        world.recorder.record(.voiceSessionDescription(mode: selection.mode, secretKey: key))
        session.sendJSON(
            op: 4,
            [
                "mode": .string(selection.mode), "secret_key": .array(key.map { .int(Int64($0)) }),
                "dave_protocol_version": 0, "audio_codec": "opus", "video_codec": "H264",
                "media_session_id": .string(randomHex(16)),
            ])
        announceClients(to: session)
        world.fire(.afterSessionDescription)
    }

    /// Sends CLIENTS_CONNECT (op 11) naming everyone else already in the channel, as Discord does.
    private func announceClients(to session: VoiceSessionState) {
        let others = world.guilds[session.guildID]?.voiceStates
            .filter { $0.channelID == session.channelID && $0.userID != session.userID }
            .map { JSONValue.string($0.userID) } ?? []
        guard !others.isEmpty else { return }
        session.sendJSON(op: 11, ["user_ids": .array(others)])
    }

    private func speaking(_ data: JSONValue) {
        let flags = data["speaking"]?.int ?? 0
        world.recorder.record(
            .speaking(.init(speaking: flags, delay: data["delay"]?.int ?? 0, ssrc: UInt32(truncatingIfNeeded: data["ssrc"]?.int ?? 0))))
        if flags != 0 { world.fire(.onSpeaking) }
    }
}
