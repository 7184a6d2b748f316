/// Connecting, resuming after a dropped socket, and joining again after a lost session.
extension VoiceConnection {
    /// Runs the whole handshake: IDENTIFY as the socket opens, HELLO and READY in either order, IP
    /// discovery, SELECT_PROTOCOL, SESSION_DESCRIPTION. The heartbeat starts when HELLO arrives.
    func connect() async throws(DiscordVoiceError) {
        state = .connecting
        try await openSocket()
        await send(
            .identify,
            [
                "server_id": server.guildID.json, "user_id": server.userID.json,
                "session_id": .string(server.sessionID), "token": .string(server.token),
                "max_dave_protocol_version": .int(Int64(configuration.maxDAVEProtocolVersion)),
            ])
        let ready = try await wait(.ready, "READY")
        _ = try await wait(.hello, "HELLO")
        guard let ssrc = ready["ssrc"]?.int, let ip = ready["ip"]?.string, let port = ready["port"]?.int else {
            throw .protocolViolation("a voice READY without ssrc, ip and port")
        }
        let offered = (ready["modes"]?.array ?? []).compactMap(\.string)
        guard let mode = TransportEncryptionMode.preferred(from: offered) else {
            throw .noSupportedEncryptionMode(offered: offered)
        }
        self.ssrc = UInt32(truncatingIfNeeded: ssrc)
        udp?.close()
        let udp = try await VoiceUDPSocket.open(host: ip, port: Int(port))
        self.udp = udp
        let attempts = max(3, Int(configuration.timeoutSeconds.rounded(.up)))
        let external = try await udp.discover(ssrc: self.ssrc, attempts: attempts, interval: .seconds(1))
        logger.debug("voice IP discovery: \(external.address):\(external.port)")
        await send(
            .selectProtocol,
            [
                "protocol": "udp",
                "data": ["address": .string(external.address), "port": .int(Int64(external.port)), "mode": .string(mode.rawValue)],
            ])
        let session = try await wait(.sessionDescription, "SESSION_DESCRIPTION")
        let key = (session["secret_key"]?.array ?? []).compactMap { $0.int.map { UInt8(truncatingIfNeeded: $0) } }
        let chosen = session["mode"]?.string.flatMap(TransportEncryptionMode.init(rawValue:)) ?? mode
        let packetizer = RTP.Packetizer(
            ssrc: self.ssrc, sequence: .random(in: .min ... .max), timestamp: .random(in: .min ... .max),
            encryptor: try TransportEncryptor(mode: chosen, secretKey: key))
        sender.setTransport(RealtimeSender.Transport(packetizer: packetizer, udp: udp))
        encryptionMode = chosen
        daveProtocolVersion = session["dave_protocol_version"]?.int ?? 0
        if state == .connecting { state = .ready }
        logger.info("voice connected: ssrc \(self.ssrc), mode \(chosen.rawValue)")
    }

    private func wait(_ signal: Signal, _ name: String) async throws(DiscordVoiceError) -> JSONValue {
        if socket == nil, let lastClose { throw closeError(code: lastClose.code, reason: lastClose.reason) }
        return try await wait(
            for: signal, timeout: configuration.timeout,
            timeoutError: .voiceTimeout(waitingFor: name, seconds: configuration.timeoutSeconds))
    }

    /// The heartbeat interval a HELLO's data asks for; anything but a positive number of
    /// milliseconds up to an hour (a huge one would not even fit a `Duration`) gets the usual 13.75 s.
    public static func heartbeatInterval(hello: JSONValue) -> Duration {
        guard let milliseconds = hello["heartbeat_interval"]?.double, milliseconds > 0, milliseconds <= 3_600_000 else {
            return .milliseconds(13_750)
        }
        return .milliseconds(milliseconds)
    }

    /// Opens the voice socket for `server`; gives up if another voice session took over meanwhile.
    private func openSocket() async throws(DiscordVoiceError) {
        let epoch = sessionEpoch
        let url = try WebSocketURL.voice(endpoint: server.endpoint)
        let socket = try await WebSocket.connect(to: url, tls: tls, timeout: configuration.timeout)
        guard epoch == sessionEpoch, state != .closed else {
            await socket.close(code: 1000)
            throw .cancelled
        }
        generation += 1
        let current = generation
        self.socket = socket
        lastClose = nil
        waiters.forgetArrived()
        logger.debug("voice socket open at \(url)")
        socket.forwardEvents { [weak self] event in await self?.handle(event, generation: current) }
    }

    /// Reacts to the voice socket closing: fail the step in progress, wait to hear of a move (4014,
    /// 4022), or resume / join again / stop.
    func handleClose(code: UInt16?, reason: String) async {
        socket = nil
        heartbeatTask?.cancel()
        lastClose = (code, reason)
        logger.info("voice socket closed: code \(code.map(String.init) ?? "none") \(reason)")
        switch state {
        case .closed:
            return
        case .connecting, .recovering:
            waiters.failAll(with: closeError(code: code, reason: reason))
        case .ready:
            if let code, Self.mayBeMove(code) {
                awaitMove(code: code, reason: reason)
                return
            }
            state = .recovering
            await recover(code: code, reason: reason)
        case .awaitingMove:
            return
        }
    }

    func closeError(code: UInt16?, reason: String) -> DiscordVoiceError {
        guard let code else {
            return .connectionFailed(endpoint: server.endpoint, reason: "the voice socket dropped")
        }
        return .voiceClosed(VoiceCloseCode(code), reason: reason)
    }

    private func recovery(for code: UInt16?) -> VoiceCloseCode.Recovery {
        guard let code, code >= 4000 else { return .resume }
        return VoiceCloseCode(code).recovery
    }

    private func recover(code: UInt16?, reason: String) async {
        var close = (code: code, reason: reason)
        let epoch = sessionEpoch
        while state == .recovering, epoch == sessionEpoch {
            switch recovery(for: close.code) {
            case .stop:
                await stop(with: closeError(code: close.code, reason: close.reason))
            case .resume where resumes < Self.maxResumes:
                resumes += 1
                do {
                    try await resumeSession()
                } catch {
                    close = lastClose ?? (nil, "\(error)")
                }
            case .resume:
                await stop(with: closeError(code: close.code, reason: close.reason))
            case .rejoin where !rejoined:
                rejoined = true
                do {
                    try await rejoinSession()
                } catch {
                    if epoch == sessionEpoch { await stop(with: error) }
                }
            case .rejoin:
                await stop(with: closeError(code: close.code, reason: close.reason))
            }
        }
    }

    private func resumeSession() async throws(DiscordVoiceError) {
        logger.info("voice socket lost; resuming")
        try await openSocket()
        await send(
            .resume,
            [
                "server_id": server.guildID.json, "session_id": .string(server.sessionID),
                "token": .string(server.token), "seq_ack": .int(lastSequence),
            ])
        _ = try await wait(.resumed, "RESUMED")
        _ = try await wait(.hello, "HELLO")
        if state == .recovering { state = .ready }
        if speaking { await sendSpeaking(true) }
        logger.info("voice session resumed")
    }

    private func rejoinSession() async throws(DiscordVoiceError) {
        logger.info("voice session ended; joining the channel again")
        sender.hold()
        rejoining = true
        defer { rejoining = false }
        await gateway.leaveVoice(guild: guildID)
        let fresh = try await gateway.requestVoiceServer(guild: guildID, channel: channelID)
        rejoining = false
        try await reestablish(on: fresh)
    }

    /// Ends the connection with `error`: the player sees it and the bot leaves.
    func stop(with error: DiscordVoiceError) async {
        guard state != .closed else { return }
        failure = error
        logger.info("voice connection failed: \(error)")
        await leave()
    }

    /// Sends SPEAKING with the microphone flag on or off.
    func sendSpeaking(_ on: Bool) async {
        speaking = on
        await send(.speaking, ["speaking": .int(on ? 1 : 0), "delay": 0, "ssrc": .int(Int64(ssrc))])
    }
}
