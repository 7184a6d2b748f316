import DAVE

/// DAVE end-to-end encryption: feeding the voice gateway's DAVE events to a `DAVE.Session`,
/// sending its messages, and applying its media state between the Opus packets and RTP.
extension VoiceConnection {
    /// Starts a fresh DAVE session for a SESSION_DESCRIPTION's protocol version (or none when the
    /// bot announced no DAVE support), told about the users already in the call.
    ///
    /// Runs in the message handler, so the DAVE messages right behind the description find the session.
    private func startDAVE(protocolVersion: UInt16) async {
        guard configuration.maxDAVEProtocolVersion > 0 else {
            dave = nil
            applyMedia(.passthrough)
            return
        }
        let session = DAVE.Session(selfUserID: server.userID.rawValue, channelID: channelID.rawValue)
        dave = session
        applyMedia(session.media)
        await feedDAVE(.clientsConnect(userIDs: connectedUsers.map(\.rawValue)))
        await feedDAVE(.sessionDescription(protocolVersion: protocolVersion))
    }

    /// Feeds a voice gateway message to the DAVE session if it concerns DAVE.
    func feedDAVE(_ message: VoiceMessage) async {
        if message.opcode == .sessionDescription {
            await startDAVE(protocolVersion: UInt16(clamping: message.data["dave_protocol_version"]?.int ?? 0))
            return
        }
        guard dave != nil else { return }
        let event: DAVE.Session.Event
        do {
            guard let parsed = try Self.daveEvent(message) else { return }
            event = parsed
        } catch {
            logger.info("DAVE ignored voice op \(message.opcode.code): \(error)")
            return
        }
        await feedDAVE(event)
    }

    /// Hands one event to the session, then sends its messages and switches the media, in order.
    func feedDAVE(_ event: DAVE.Session.Event) async {
        guard var session = dave else { return }
        let actions: [DAVE.Session.Action]
        do {
            actions = try session.handle(event)
        } catch {
            logger.info("DAVE refused an event: \(error)")
            return
        }
        dave = session
        for action in actions {
            switch action {
            case .media(let media):
                applyMedia(media)
            case .send(let outbound):
                do {
                    if let binary = outbound.binaryMessage {
                        try await sendDAVE(opcode: outbound.opcode, binary: Array(binary.dropFirst()))
                    } else if let json = outbound.jsonMessage, let data = try? JSONValue.parse(json)["d"] {
                        try await sendDAVE(opcode: outbound.opcode, json: data)
                    }
                } catch {
                    logger.info("DAVE could not send op \(outbound.opcode): \(error)")
                }
            }
        }
    }

    private func applyMedia(_ media: DAVE.Session.Media) {
        daveOutput.apply(media)
        switch media {
        case .hold:
            logger.info("DAVE: holding audio until someone in the call can decrypt it")
        case .passthrough:
            logger.info("DAVE: protocol version 0, audio is transport-encrypted only")
        case .encrypt:
            let members = dave?.members.count ?? 0
            logger.info("DAVE: end-to-end encrypted, \(members) members; voice privacy code \(dave?.privacyCode ?? "unknown")")
        }
        resealQueued()
    }

    /// Takes back the frames the sender has not sent yet and queues them again sealed under the new
    /// media state, so nothing leaves after a transition under the keys it replaced.
    private func resealQueued() {
        guard daveOutput.streaming else { return }
        var sealed: [UInt8] = []
        for opus in daveOutput.recentFrames(sender.takeQueued()) {
            do {
                try daveOutput.seal(opus, into: &sealed)
                sender.enqueue(sealed)
            } catch {
                logger.info("DAVE could not seal a frame: \(error)")
            }
        }
    }

    /// Waits until the DAVE session allows audio: an executed transition put the bot in a group with a
    /// listener (or the call uses no DAVE). Throws when nobody comes within the connect timeout.
    func waitUntilAudible() async throws(DiscordVoiceError) {
        guard daveOutput.mode == .hold else { return }
        logger.info("waiting for someone to join the voice channel to hear the scream")
        let deadline = ContinuousClock.now + configuration.timeout
        while daveOutput.mode == .hold {
            if let failure { throw failure }
            guard state != .closed else { throw .notConnected }
            guard ContinuousClock.now < deadline else { throw .noListener(seconds: configuration.timeoutSeconds) }
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                throw .cancelled
            }
        }
    }

    /// The DAVE event a voice message carries, nil for messages DAVE does not need.
    public static func daveEvent(_ message: VoiceMessage) throws(DAVEError) -> DAVE.Session.Event? {
        switch (message.opcode, message.body) {
        case (.clientsConnect, .json(let data)):
            return .clientsConnect(userIDs: (data["user_ids"]?.array ?? []).compactMap { $0.snowflake?.rawValue })
        case (.clientDisconnect, .json(let data)):
            return data["user_id"]?.snowflake.map { .clientDisconnect(userID: $0.rawValue) }
        case (.dave(let opcode), .binary(let payload)):
            return try DAVE.Session.Event(binaryOpcode: opcode, payload: payload)
        case (.dave(21), .json(let data)):
            guard let id = data["transition_id"]?.int, let version = data["protocol_version"]?.int else { return nil }
            return .prepareTransition(transitionID: UInt16(truncatingIfNeeded: id), protocolVersion: UInt16(truncatingIfNeeded: version))
        case (.dave(22), .json(let data)):
            return data["transition_id"]?.int.map { .executeTransition(transitionID: UInt16(truncatingIfNeeded: $0)) }
        case (.dave(24), .json(let data)):
            guard let epoch = data["epoch"]?.int, let version = data["protocol_version"]?.int else { return nil }
            return .prepareEpoch(epoch: UInt64(truncatingIfNeeded: epoch), protocolVersion: UInt16(truncatingIfNeeded: version))
        default:
            return nil
        }
    }
}
