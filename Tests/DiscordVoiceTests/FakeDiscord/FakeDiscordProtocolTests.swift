import CSodium
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import FakeDiscord

/// The fake's gateways, driven over real TLS sockets by a bare WebSocket client.
@Suite(.timeLimit(.minutes(1))) struct FakeDiscordProtocolTests {
    static let identify = """
        {"op":2,"d":{"token":"\(FakeDiscord.Sample.token)","intents":129,\
        "properties":{"os":"linux","browser":"test","device":"test"}}}
        """

    static func port(of url: String) -> Int {
        Int(url.split(separator: ":")[2].prefix { $0.isNumber }) ?? 0
    }

    /// Reads HELLO, identifies, reads READY and GUILD_CREATE, sends an op 4 join; returns READY.
    static func identifyAndJoin(_ channelID: String, on socket: inout TestWebSocket) async throws -> JSONValue {
        _ = try await socket.nextJSON()
        try await socket.send(identify)
        let ready = try await socket.nextJSON()
        _ = try await socket.nextJSON()
        try await socket.send(
            #"{"op":4,"d":{"guild_id":"\#(FakeDiscord.Sample.guildID)","channel_id":"\#(channelID)","self_mute":false,"self_deaf":true}}"#
        )
        return ready
    }

    @Test func wrongTokenIsClosedWith4004AfterHello() async throws {
        let options = FakeDiscord.Options(heartbeatInterval: .milliseconds(250))
        try await FakeDiscord.withRunning(options) { fake in
            let code = try await TestWebSocket.with(
                port: Self.port(of: fake.gatewayURL), uri: "/?v=10&encoding=json", caFile: fake.caFilePath
            ) { socket in
                let hello = try await socket.nextJSON()
                #expect(hello["op"]?.int == 10)
                #expect(hello["d"]?["heartbeat_interval"]?.int == 250)
                try await socket.send(#"{"op":2,"d":{"token":"wrong","intents":129,"properties":{}}}"#)
                return try await socket.nextCloseCode()
            }
            #expect(code == 4004)
            #expect(fake.recorder.identifies.map(\.token) == ["wrong"])
        }
    }

    @Test func readyAndGuildCreateDescribeTheConfiguredWorld() async throws {
        try await FakeDiscord.withRunning { fake in
            let (ready, guild) = try await TestWebSocket.with(
                port: Self.port(of: fake.gatewayURL), uri: "/?v=10&encoding=json", caFile: fake.caFilePath
            ) { socket in
                _ = try await socket.nextJSON()
                try await socket.send(Self.identify)
                return (try await socket.nextJSON(), try await socket.nextJSON())
            }
            #expect(ready["t"]?.string == "READY")
            #expect(ready["s"]?.int == 1)
            #expect(ready["d"]?["user"]?["id"]?.string == FakeDiscord.Sample.bot.id)
            #expect(ready["d"]?["resume_gateway_url"]?.string == fake.resumeGatewayURL)
            #expect(guild["t"]?.string == "GUILD_CREATE")
            guard case .array(let states)? = guild["d"]?["voice_states"] else {
                Issue.record("GUILD_CREATE has no voice_states")
                return
            }
            let inParty = states.filter { $0["channel_id"]?.string == FakeDiscord.Sample.partyChannelID }
            #expect(inParty.count == 2)
        }
    }

    @Test func joinVoiceHandshakeAndUDPAudioAreAnsweredAndRecorded() async throws {
        let options = FakeDiscord.Options(
            modes: [FakeDiscord.Mode.xChaCha20Poly1305], joinResponse: .serverThenState)
        try await FakeDiscord.withRunning(options) { fake in
            let join = try await TestWebSocket.with(
                port: Self.port(of: fake.gatewayURL), uri: "/?v=10&encoding=json", caFile: fake.caFilePath
            ) { socket in
                let ready = try await Self.identifyAndJoin(FakeDiscord.Sample.partyChannelID, on: &socket)
                return (ready, try await socket.nextJSON(), try await socket.nextJSON())
            }
            #expect(join.1["t"]?.string == "VOICE_SERVER_UPDATE")
            #expect(join.2["t"]?.string == "VOICE_STATE_UPDATE")
            let endpoint = try #require(join.1["d"]?["endpoint"]?.string)
            #expect(endpoint == fake.voiceEndpoint)
            let identify = """
                {"op":0,"d":{"server_id":"\(FakeDiscord.Sample.guildID)","user_id":"\(FakeDiscord.Sample.bot.id)",\
                "session_id":"\(join.2["d"]?["session_id"]?.string ?? "")","token":"\(join.1["d"]?["token"]?.string ?? "")",\
                "max_dave_protocol_version":1}}
                """
            let voicePort = Int(endpoint.split(separator: ":")[1]) ?? 0
            let key = try await TestWebSocket.with(port: voicePort, uri: "/?v=8", caFile: fake.caFilePath) { socket in
                _ = try await socket.nextJSON()
                try await socket.send(identify)
                let ready = try await socket.nextJSON()
                #expect(ready["op"]?.int == 2)
                #expect(ready["seq"]?.int == 1)
                #expect(ready["d"]?["port"]?.int == fake.udpPort)
                try await socket.send(
                    #"{"op":1,"d":{"protocol":"udp","data":{"address":"127.0.0.1","port":5000,"mode":"aead_xchacha20_poly1305_rtpsize"}}}"#
                )
                let description = try await socket.nextJSON()
                #expect(description["op"]?.int == 4)
                #expect(description["d"]?["dave_protocol_version"]?.int == 0)
                let clients = try await socket.nextJSON()
                #expect(clients["op"]?.int == 11)
                #expect(clients["d"]?["user_ids"] == ["400000000000000002", "400000000000000003"])
                try await socket.send(#"{"op":3,"d":{"t":1501184119561,"seq_ack":2}}"#)
                let ack = try await socket.nextJSON()
                #expect(ack["op"]?.int == 6)
                #expect(ack["d"]?["t"]?.int64 == 1_501_184_119_561)
                guard case .array(let bytes)? = description["d"]?["secret_key"] else { return [UInt8]() }
                return bytes.compactMap { $0.int.map(UInt8.init) }
            }
            #expect(key.count == 32)
            try await sendSealedPacket(key: key, to: fake.udpPort)
            let packet = try #require(try await fake.recorder.waitForPackets(1, timeout: .seconds(5)).first)
            #expect(packet.payload == [0xF8, 0xFF, 0xFE])
            #expect(packet.sequence == 7)
            #expect(packet.timestamp == 960)
            #expect(packet.nonce == 1)
            #expect(fake.recorder.decryptFailures.isEmpty)
        }
    }

    @Test func resumeAtTheResumeURLReplaysDispatchesMissedAfterReconnect() async throws {
        let options = FakeDiscord.Options(faults: [.init(.gatewayReconnect, at: .onVoiceJoin)])
        try await FakeDiscord.withRunning(options) { fake in
            let sessionID = try await TestWebSocket.with(
                port: Self.port(of: fake.gatewayURL), uri: "/?v=10&encoding=json", caFile: fake.caFilePath
            ) { socket in
                let ready = try await Self.identifyAndJoin(FakeDiscord.Sample.lobbyChannelID, on: &socket)
                let reconnect = try await socket.nextJSON()
                #expect(reconnect["op"]?.int == 7)
                return ready["d"]?["session_id"]?.string ?? ""
            }
            let replayed = try await TestWebSocket.with(
                port: Self.port(of: fake.resumeGatewayURL), uri: "/?v=10&encoding=json", caFile: fake.caFilePath
            ) { socket in
                _ = try await socket.nextJSON()
                try await socket.send(
                    #"{"op":6,"d":{"token":"\#(FakeDiscord.Sample.token)","session_id":"\#(sessionID)","seq":2}}"#)
                var replayed: [String] = []
                for _ in 0..<3 {
                    let message = try await socket.nextJSON()
                    replayed.append("\(message["t"]?.string ?? "?") \(message["s"]?.int ?? 0)")
                }
                return replayed
            }
            #expect(replayed == ["VOICE_STATE_UPDATE 3", "VOICE_SERVER_UPDATE 4", "RESUMED 5"])
            #expect(fake.recorder.events.contains(.gatewayConnected(connection: 2, viaResumeURL: true)))
            #expect(fake.recorder.resumes.first?.accepted == true)
        }
    }

    /// Seals a silence frame with libsodium and sends it from a fresh UDP socket.
    func sendSealedPacket(key: [UInt8], to port: Int) async throws {
        let header: [UInt8] = [0x80, 0x78, 0x00, 0x07, 0x00, 0x00, 0x03, 0xC0, 0x00, 0x01, 0xE2, 0x40]
        let counter: [UInt8] = [0, 0, 0, 1]
        let plaintext: [UInt8] = [0xF8, 0xFF, 0xFE]
        var sealed = [UInt8](repeating: 0, count: plaintext.count + 16)
        var length: UInt64 = 0
        #expect(sodium_init() >= 0)
        _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
            &sealed, &length, plaintext, UInt64(plaintext.count), header, UInt64(header.count), nil,
            counter + [UInt8](repeating: 0, count: 20), key)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let packet = header + sealed + counter
        try await channel.writeAndFlush(
            AddressedEnvelope(
                remoteAddress: try SocketAddress(ipAddress: "127.0.0.1", port: port), data: ByteBuffer(bytes: packet)))
        try await channel.close()
    }
}
