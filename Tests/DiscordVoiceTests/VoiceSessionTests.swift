import DiscordVoice
import FakeDiscord
import Testing

/// Voice use by a long-running bot: a voice state left from a crash, several guilds at once,
/// and several screams on one connection.
@Suite struct VoiceSessionTests {
    typealias Sample = FakeDiscord.Sample
    static let secondGuildID = "200000000000000002"
    static let secondChannelID = "310000000000000001"

    @Test func aVoiceStateLeftFromACrashIsLeftBeforeJoining() async throws {
        var guild = Sample.guild()
        guild.voiceStates.append(.init(userID: Sample.bot.id, channelID: Sample.partyChannelID, sessionID: "old"))
        let harness = try await Harness.start(FakeDiscord.Options(guilds: [guild]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let me = try #require(await harness.gateway.user?.id)
            #expect(try await harness.gateway.guild(Harness.guild).voiceStates[me]?.channelID == Harness.party)
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            #expect(harness.fake.recorder.voiceStateUpdates.map(\.channelID) == [nil, Sample.partyChannelID])
            let report = try await voice.play(TestPackets(count: 10))
            let recorder = harness.fake.recorder
            try await recorder.waitForClosingSilence(timeout: .seconds(5))
            #expect(report.framesSent == 10)
            #expect(recorder.decryptFailures.isEmpty)
            #expect(recorder.rtpPackets.prefix(10).map(\.payload) == (0..<10).map(TestPackets.packet))
            #expect(recorder.voiceStateUpdates.map(\.channelID) == [nil, Sample.partyChannelID, nil])
        }
    }

    @Test func twoGuildsJoinAndPlayConcurrentlyOnOneGateway() async throws {
        let second = FakeDiscord.Guild(
            id: Self.secondGuildID, name: "Second",
            channels: [FakeDiscord.Channel(id: Self.secondChannelID, name: "Hangout", kind: .voice)],
            members: [FakeDiscord.User(id: "410000000000000001", username: "human4")],
            voiceStates: [.init(userID: "410000000000000001", channelID: Self.secondChannelID, sessionID: "vs-h4")])
        let harness = try await Harness.start(FakeDiscord.Options(guilds: [Sample.guild(), second]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let gateway = harness.gateway
            let secondGuild = Snowflake(Self.secondGuildID)!
            async let first = gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            async let other = gateway.joinVoice(guild: secondGuild, channel: Snowflake(Self.secondChannelID)!)
            let (voiceA, voiceB) = try await (first, other)
            #expect(voiceA.guildID == Harness.guild && voiceB.guildID == secondGuild)
            async let playA = voiceA.play(TestPackets(count: 20))
            async let playB = voiceB.play(TestPackets(count: 20))
            let (reportA, reportB) = try await (playA, playB)
            #expect(reportA.framesSent == 20 && reportB.framesSent == 20)
            let recorder = harness.fake.recorder
            try await recorder.waitFor("both leaves", timeout: .seconds(5)) { events in
                events.count(where: { if case .voiceStateUpdate(let r) = $0 { r.channelID == nil } else { false } }) == 2
            }
            try await recorder.waitForPackets(50, timeout: .seconds(5))
            #expect(recorder.decryptFailures.isEmpty)
            let bySSRC = Dictionary(grouping: recorder.rtpPackets, by: \.ssrc)
            #expect(bySSRC.count == 2)
            #expect(bySSRC.values.allSatisfy { $0.count == 25 })
            #expect(Set(recorder.voiceIdentifies.map(\.serverID)) == [Sample.guildID, Self.secondGuildID])
        }
    }

    @Test func twoScreamsPlayOnOneConnectionWithoutLeavingBetween() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let first = try await voice.play(TestPackets(count: 10), leaving: false)
            #expect(first.framesSent == 10)
            let recorder = harness.fake.recorder
            #expect(recorder.voiceStateUpdates.map(\.channelID) == [Sample.partyChannelID])
            let second = try await voice.play(TestPackets(count: 10))
            #expect(second.framesSent == 10)
            try await recorder.waitForLeave(timeout: .seconds(5))
            try await recorder.waitForPackets(30, timeout: .seconds(5))
            #expect(recorder.decryptFailures.isEmpty)
            let packets = recorder.rtpPackets
            #expect(packets.count == 30)
            let scream = (0..<10).map(TestPackets.packet) + Array(repeating: VoiceConnection.silenceFrame, count: 5)
            #expect(packets.map(\.payload) == scream + scream)
            #expect(recorder.voiceIdentifies.count == 1)
            #expect(recorder.voiceStateUpdates.map(\.channelID) == [Sample.partyChannelID, nil])
            #expect(recorder.speakingStates.map(\.speaking) == [1, 0, 1, 0])
        }
    }
}
