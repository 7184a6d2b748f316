import Testing

@testable import DiscordVoice

/// Voice gateway framing, IP discovery packets, gateway payloads, URLs and log redaction.
@Suite struct WireFormatTests {
    @Test func serverBinaryMessageSplitsSequenceOpcodeAndPayload() throws {
        let message = try VoiceMessage(serverBinary: [0x01, 0x02, 25, 0xAA, 0xBB])
        #expect(message.sequence == 0x0102)
        #expect(message.opcode == .dave(25))
        #expect(message.body == .binary([0xAA, 0xBB]))
    }

    @Test func truncatedServerBinaryMessageIsRejected() {
        #expect(throws: DiscordVoiceError.self) { try VoiceMessage(serverBinary: [0x00, 0x01]) }
    }

    @Test func clientBinaryMessageIsOpcodeThenPayload() {
        #expect(VoiceMessage.clientBinary(opcode: 26, payload: [1, 2, 3]) == [26, 1, 2, 3])
    }

    @Test func jsonVoiceMessageCarriesItsSequenceNumber() throws {
        let message = try VoiceMessage(text: #"{"op":11,"seq":10,"d":{"user_ids":["5"]}}"#)
        #expect(message.opcode == .clientsConnect)
        #expect(message.sequence == 10)
        #expect(message.data["user_ids"]?.array?.first?.snowflake == Snowflake(5))
    }

    @Test func daveOpcodesAreRecognisedAcrossTheirRange() {
        #expect(VoiceOpcode(21) == .dave(21))
        #expect(VoiceOpcode(31) == .dave(31))
        #expect(VoiceOpcode(32) == .unknown(32))
        #expect(VoiceOpcode(13) == .clientDisconnect)
    }

    @Test func ipDiscoveryRequestIsType1Length70AndSSRC() {
        let request = IPDiscovery.request(ssrc: 0x0102_0304)
        #expect(request.count == 74)
        #expect(Array(request[0..<8]) == [0, 1, 0, 70, 1, 2, 3, 4])
        #expect(request[8...].allSatisfy { $0 == 0 })
    }

    @Test func ipDiscoveryResponseYieldsAddressAndBigEndianPort() {
        var response = [UInt8](repeating: 0, count: 74)
        response[1] = 2
        response[3] = 70
        let address = Array("203.0.113.9".utf8)
        response.replaceSubrange(8..<(8 + address.count), with: address)
        response[72] = 0xC3
        response[73] = 0x50
        let parsed = IPDiscovery.parseResponse(response)
        #expect(parsed?.address == "203.0.113.9")
        #expect(parsed?.port == 50_000)
        response[1] = 1
        #expect(IPDiscovery.parseResponse(response) == nil)
    }

    @Test func gatewayPayloadDecodesOpSequenceAndEvent() throws {
        let payload = try GatewayPayload(text: #"{"op":0,"s":42,"t":"READY","d":{"v":10}}"#)
        #expect(payload.opcode == .dispatch)
        #expect(payload.sequence == 42)
        #expect(payload.event == "READY")
        #expect(payload.data["v"]?.int == 10)
        #expect(throws: DiscordVoiceError.self) { try GatewayPayload(text: "not json") }
    }

    @Test func redactionHidesTokensAndSecretKeysAtAnyDepth() {
        let json: JSONValue = ["op": 2, "d": ["token": "Bot.secret", "nested": [["secret_key": [1, 2, 3]]]]]
        let text = json.redacted.serialized
        #expect(!text.contains("Bot.secret"))
        #expect(!text.contains("[1,2,3]"))
        #expect(text.contains("[redacted]"))
    }

    @Test func gatewayURLKeepsQueryAndDefaultsPort() throws {
        let url = try WebSocketURL("wss://gateway.discord.gg/?v=10&encoding=json")
        #expect(url.secure)
        #expect(url.port == 443)
        #expect(url.target == "/?v=10&encoding=json")
        #expect(throws: DiscordVoiceError.self) { try WebSocketURL("https://example.com") }
    }

    @Test func voiceEndpointBecomesWSSWithVersion8() throws {
        let url = try WebSocketURL.voice(endpoint: "127.0.0.1:8443")
        #expect(url.description == "wss://127.0.0.1:8443/?v=8")
        #expect(url.port == 8443)
    }
}
