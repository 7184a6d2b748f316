import NIOCore

/// Voice moves as Discord makes them: events on the main gateway, and a 4014 close of the old voice socket.
extension World {
    /// What happens to the bot's voice session.
    enum VoiceMove {
        /// Another voice server takes the call over.
        case server
        /// A moderator drags the bot into another channel.
        case channel(String)
        /// A moderator disconnects the bot.
        case disconnect
    }

    /// The delay between the two signals of a move.
    static let moveSignalGap = TimeAmount.milliseconds(50)

    /// Moves the bot's live voice session: the main gateway announces it and the old voice socket
    /// closes with 4014, in `order`. Does nothing when the bot has no voice session.
    func moveVoice(_ move: VoiceMove, order: FakeDiscord.MoveOrder) {
        guard let old = currentVoice?.session ?? voiceSessions.values.first,
            let gateway = gatewaySessions.values.first(where: { $0.connection != nil })
        else { return }
        let oldConnection = old.connection
        old.valid = false
        let events = announcements(of: move, replacing: old)
        let announce = { for (name, data) in events { gateway.dispatch(name, data) } }
        let close = { oldConnection?.close(code: 4014, reason: "Disconnected.") }
        switch order {
        case .gatewayFirst:
            announce()
            loop.scheduleTask(in: Self.moveSignalGap) { close() }
        case .closeFirst:
            close()
            loop.scheduleTask(in: Self.moveSignalGap) { announce() }
        }
    }

    /// Updates the world for `move` and returns the dispatches Discord would send for it.
    private func announcements(of move: VoiceMove, replacing old: VoiceSessionState) -> [(String, JSONValue)] {
        let bot = options.botUser
        var guild = guilds[old.guildID]
        guild?.voiceStates.removeAll { $0.userID == bot.id }
        let channel: String?
        switch move {
        case .server: channel = old.channelID
        case .channel(let id): channel = id
        case .disconnect: channel = nil
        }
        var events: [(String, JSONValue)] = []
        if case .server = move {} else {
            events.append(("VOICE_STATE_UPDATE", voiceState(guildID: old.guildID, channelID: channel, sessionID: old.sessionID)))
        }
        guard let channel else {
            guilds[old.guildID] = guild
            voiceSessions.removeValue(forKey: old.guildID)
            return events
        }
        guild?.voiceStates.append(.init(userID: bot.id, channelID: channel, sessionID: old.sessionID))
        guilds[old.guildID] = guild
        let fresh = VoiceSessionState(
            guildID: old.guildID, channelID: channel, userID: bot.id, sessionID: old.sessionID,
            token: randomHex(8), ssrc: old.ssrc &+ 1)
        if case .server = move { fresh.server = 1 - old.server } else { fresh.server = old.server }
        voiceSessions[old.guildID] = fresh
        let endpoint = fresh.server == 0 ? voiceEndpoint : secondVoiceEndpoint
        events.append(
            ("VOICE_SERVER_UPDATE", ["token": .string(fresh.token), "guild_id": .string(old.guildID), "endpoint": .string(endpoint)]))
        return events
    }

    private func voiceState(guildID: String, channelID: String?, sessionID: String) -> JSONValue {
        let bot = options.botUser
        return [
            "guild_id": .string(guildID), "channel_id": channelID.map(JSONValue.string) ?? nil,
            "user_id": .string(bot.id), "session_id": .string(sessionID),
            "member": ["user": ["id": .string(bot.id), "username": .string(bot.username), "bot": .bool(bot.bot)]],
            "deaf": false, "mute": false, "self_deaf": true, "self_mute": false,
            "self_video": false, "suppress": false, "request_to_speak_timestamp": nil,
        ]
    }
}
