/// What the main gateway says about the bot's own voice connection once it is live.
enum VoiceGatewayUpdate: Sendable, Hashable {
    /// The bot's own VOICE_STATE_UPDATE: its channel (nil: disconnected) and voice session id.
    case state(channelID: Snowflake?, sessionID: String)
    /// VOICE_SERVER_UPDATE: a new token and endpoint (no endpoint while Discord allocates a server).
    case server(token: String, endpoint: String?)
}

/// Following the bot when Discord replaces its voice server or a moderator moves or disconnects it.
///
/// A VOICE_SERVER_UPDATE opens a fresh voice session on the new endpoint: new WebSocket, IDENTIFY
/// with the same session id and the new token, new UDP socket and SSRC, new DAVE session. The
/// sender holds its frames meanwhile, so the scream pauses and goes on where it stopped: no frame
/// is dropped, and the 20 ms slots of the gap count as skipped in the report. The new session
/// starts a new RTP stream (new SSRC, fresh random sequence and timestamp), as every voice session
/// does, since the new server has no state of the old stream.
///
/// Discord closes the old voice socket with 4014 (or 4022) around the same time, and the two
/// sockets are read on two loops, so a close that comes first waits ``moveGraceSeconds`` for the
/// main gateway to say where the bot went; a VOICE_STATE_UPDATE with no channel ends the scream.
/// A VOICE_STATE_UPDATE naming another channel just after a VOICE_SERVER_UPDATE belongs to the
/// same move: the new session is opened again for that channel (its DAVE group is the channel's).
extension VoiceConnection {
    /// How long a 4014 or 4022 close waits for a VOICE_SERVER_UPDATE or VOICE_STATE_UPDATE.
    static let moveGraceSeconds = 5.0

    /// Whether a close of the live voice socket with `code` may be a move rather than the end.
    static func mayBeMove(_ code: UInt16) -> Bool {
        code == VoiceCloseCode.disconnected.code || code == VoiceCloseCode.callTerminated.code
    }

    /// Takes the main gateway's news about this connection, in the order it arrived.
    func gatewayUpdate(_ update: VoiceGatewayUpdate) {
        guard state != .closed, !rejoining else { return }
        switch update {
        case .state(nil, _):
            relocation?.cancel()
            moveGrace?.cancel()
            let error = DiscordVoiceError.disconnectedFromVoice(channel: server.channelID)
            failure = error
            Task { await stop(with: error) }
        case .state(let channel?, let sessionID):
            guard channel != server.channelID || sessionID != server.sessionID else { return }
            logger.info("moved to voice channel \(channel)")
            server.channelID = channel
            server.sessionID = sessionID
            channelChangedSinceServerUpdate = true
            if let movedAt = serverMovedAlone, ContinuousClock.now - movedAt < .seconds(Self.moveGraceSeconds) {
                serverMovedAlone = nil
                relocate(to: server)
            }
        case .server(let token, let endpoint):
            guard let endpoint else {
                logger.info("the voice server is going away; waiting for the next one")
                return
            }
            var target = server
            target.token = token
            target.endpoint = endpoint
            serverMovedAlone = channelChangedSinceServerUpdate ? nil : .now
            channelChangedSinceServerUpdate = false
            relocate(to: target)
        }
    }

    /// After a 4014 or 4022 close: hold the audio and wait for the main gateway's explanation.
    func awaitMove(code: UInt16, reason: String) {
        state = .awaitingMove
        sender.hold()
        logger.info("voice socket closed with \(code); waiting for the gateway to say whether the bot moved")
        let error = closeError(code: code, reason: reason)
        let epoch = sessionEpoch
        moveGrace = Task { [weak self] in
            try? await Task.sleep(for: .seconds(Self.moveGraceSeconds))
            guard !Task.isCancelled else { return }
            await self?.endWaitingForMove(epoch: epoch, with: error)
        }
    }

    private func endWaitingForMove(epoch: Int, with error: DiscordVoiceError) async {
        guard state == .awaitingMove, epoch == sessionEpoch else { return }
        await stop(with: error)
    }

    /// Starts moving to `target`, after any move in progress has given up.
    private func relocate(to target: VoiceServerInfo) {
        moveGrace?.cancel()
        sessionEpoch += 1
        let epoch = sessionEpoch
        let previous = relocation
        previous?.cancel()
        waiters.failAll(with: .cancelled)
        relocation = Task {
            await previous?.value
            await self.runRelocation(to: target, epoch: epoch)
        }
    }

    private func runRelocation(to target: VoiceServerInfo, epoch: Int) async {
        guard epoch == sessionEpoch, state != .closed else { return }
        logger.info("voice server changed; connecting to \(target.endpoint)")
        do {
            try await reestablish(on: target)
            logger.info("voice connection moved to \(target.endpoint)")
        } catch {
            guard epoch == sessionEpoch else { return }
            await stop(with: error)
        }
    }

    /// Replaces the voice session with a fresh one on `target`, the sender holding meanwhile, and
    /// releases the held audio once it can be heard (for DAVE: once a transition put the bot in a group).
    func reestablish(on target: VoiceServerInfo) async throws(DiscordVoiceError) {
        sender.hold()
        generation += 1
        heartbeatTask?.cancel()
        let old = socket
        socket = nil
        if let old { Task { await old.close(code: 1000) } }
        udp?.close()
        udp = nil
        server = target
        lastSequence = -1
        connectedUsers = []
        try await connect()
        if speaking { await sendSpeaking(true) }
        if daveOutput.streaming { try await waitUntilAudible() }
        sender.release()
    }
}
