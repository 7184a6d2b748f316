import DiscordVoice
import FakeDiscord
import Testing

/// What real Discord does to a live voice connection: replacing the voice server, a moderator
/// moving or disconnecting the bot, and handshake orders the first fakes never used.
@Suite(.serialized, .timeLimit(.minutes(1))) struct VoiceMoveTests {
    static let orders: [FakeDiscord.MoveOrder] = [.gatewayFirst, .closeFirst]
    static let silence: [UInt8] = [0xF8, 0xFF, 0xFE]

    /// Every audio frame arrived exactly once and in order, each RTP stream counting on by one packet
    /// and 960 samples, and two voice sessions were identified: the second with the same session id
    /// and a new token, followed by SPEAKING on the new connection.
    static func expectScreamCrossedTheMove(_ recorder: FakeDiscord.Recorder, count: Int) async throws {
        try await recorder.waitForClosingSilence(timeout: .seconds(5))
        let packets = recorder.rtpPackets
        #expect(recorder.decryptFailures.isEmpty)
        #expect(packets.filter { $0.payload != silence }.map(\.payload) == (0..<count).map(TestPackets.packet))
        let streams = Dictionary(grouping: packets, by: \.ssrc)
        #expect(streams.count == 2)
        for stream in streams.values {
            for (previous, next) in zip(stream, stream.dropFirst()) {
                #expect(next.sequence == previous.sequence &+ 1)
                #expect(next.timestamp == previous.timestamp &+ 960)
            }
        }
        let identifies = recorder.voiceIdentifies.filter(\.accepted)
        #expect(identifies.count == 2)
        #expect(identifies.map(\.sessionID).allSatisfy { $0 == identifies.first?.sessionID })
        #expect(Set(identifies.map(\.token)).count == 2)
        let events = recorder.events
        let second = try #require(events.firstIndex { if case .voiceConnected(2) = $0 { true } else { false } })
        #expect(events[second...].contains { if case .speaking(let s) = $0 { s.speaking == 1 } else { false } })
    }

    @Test(arguments: orders)
    func aVoiceServerChangeMidScreamReconnectsAndEveryFrameArrives(order: FakeDiscord.MoveOrder) async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceServerMove(order), at: .afterPackets(20))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let report = try await voice.play(TestPackets(count: 80))
            #expect(report.framesSent == 80 && !report.cancelled)
            try await Self.expectScreamCrossedTheMove(harness.fake.recorder, count: 80)
            #expect(harness.fake.recorder.voiceResumes.isEmpty)
        }
    }

    @Test(arguments: orders)
    func aModeratorMoveContinuesTheScreamInTheNewChannel(order: FakeDiscord.MoveOrder) async throws {
        let lobby = FakeDiscord.Sample.lobbyChannelID
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceChannelMove(channel: lobby, order), at: .afterPackets(20))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let report = try await voice.play(TestPackets(count: 80))
            #expect(report.framesSent == 80)
            #expect(await voice.channelID == Harness.lobby)
            try await Self.expectScreamCrossedTheMove(harness.fake.recorder, count: 80)
        }
    }

    @Test(arguments: orders)
    func aModeratorDisconnectEndsTheScreamWithOneSentence(order: FakeDiscord.MoveOrder) async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceDisconnect(order), at: .afterPackets(10))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let error = await #expect(throws: DiscordVoiceError.self) { try await voice.play(TestPackets(count: 500)) }
            #expect(error == .disconnectedFromVoice(channel: Harness.party))
            #expect(harness.fake.recorder.voiceIdentifies.count == 1)
            #expect(harness.fake.recorder.rtpPackets.count < 500)
        }
    }

    @Test func identifyGoesOutAsTheSocketOpensAndReadyMayPrecedeHello() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(voiceHeartbeatInterval: .milliseconds(100), voiceReadyBeforeHello: true))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let report = try await voice.play(TestPackets(count: 25))
            #expect(report.framesSent == 25)
            try await harness.fake.recorder.waitForLeave(timeout: .seconds(2))
            try await expectCompletePlayback(harness.fake.recorder, count: 25, mode: FakeDiscord.Mode.aes256GCM)
            #expect(harness.fake.recorder.events.contains { if case .voiceHeartbeat = $0 { true } else { false } })
        }
    }

    @Test func speakingIsSentAgainAfterAVoiceResume() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceClose(code: 4015, reason: "Voice server crashed."), at: .afterPackets(5))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            _ = try await voice.play(TestPackets(count: 30))
            let events = harness.fake.recorder.events
            let resumed = try #require(events.firstIndex { if case .voiceResume(let r) = $0 { r.accepted } else { false } })
            #expect(events[resumed...].contains { if case .speaking(let s) = $0 { s.speaking == 1 } else { false } })
        }
    }

    @Test(arguments: orders)
    func ipDiscoveryAnsweredAtOnceCompletesEveryHandshakeAcrossAMove(order: FakeDiscord.MoveOrder) async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(
                ipDiscovery: .init(immediate: true), faults: [.init(.voiceServerMove(order), at: .afterPackets(10))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let report = try await voice.play(TestPackets(count: 40))
            #expect(report.framesSent == 40)
            #expect(harness.fake.recorder.selectProtocols.map(\.address) == ["127.0.0.1", "127.0.0.1"])
            try await Self.expectScreamCrossedTheMove(harness.fake.recorder, count: 40)
        }
    }
}
