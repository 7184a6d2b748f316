import DiscordVoice

/// The `json` target: the bytes as a gateway or voice gateway text frame and as a binary voice
/// frame, through the decoders `GatewayClient` and `VoiceConnection` call on every message.
enum JSONFuzzing {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let value = try? JSONValue.parse(text) {
            checkRoundTrip(value)
            _ = value.redacted.serialized
        }
        if let payload = try? GatewayPayload(text: text) { gateway(payload) }
        if let message = try? VoiceMessage(text: text) { voice(message) }
        if let message = try? VoiceMessage(serverBinary: bytes) { voice(message) }
        _ = IPDiscovery.parseResponse(bytes)
    }

    /// Serialized JSON parses back to the same value (numbers compared by value: `2.0` reads back as `2`).
    static func checkRoundTrip(_ value: JSONValue) {
        guard let again = try? JSONValue.parse(value.serialized) else {
            preconditionFailure("JSONValue serializes to text it cannot parse")
        }
        precondition(sameJSON(value, again), "JSONValue reads back a different value from its own text")
    }

    static func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { sameJSON(value, $0) } ?? false }
        case (.int, _), (.double, _): return a.double != nil && a.double == b.double
        default: return a == b
        }
    }

    /// What the gateway client reads from a payload: its client form, then every dispatch it decodes.
    static func gateway(_ payload: GatewayPayload) {
        guard let again = try? GatewayPayload(text: payload.json.serialized) else {
            preconditionFailure("a gateway payload's JSON does not decode")
        }
        precondition(again.opcode == payload.opcode && sameJSON(again.data, payload.data), "a gateway payload changes through its JSON")
        let data = payload.data
        _ = data["user"]?["id"]?.snowflake
        _ = data["heartbeat_interval"]?.int
        let state = VoiceState(json: data)
        if var guild = Guild(guildCreate: data) {
            if let state { guild.apply(state) }
            _ = guild.busiestVoiceChannel(excluding: state?.userID)
        }
    }

    /// What the voice connection reads from a message: the heartbeat interval and the DAVE event.
    static func voice(_ message: VoiceMessage) {
        _ = VoiceConnection.heartbeatInterval(hello: message.data)
        _ = try? VoiceConnection.daveEvent(message)
        _ = message.data["user_ids"]?.array?.compactMap(\.snowflake)
    }
}
