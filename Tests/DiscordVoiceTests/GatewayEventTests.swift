import DiscordVoice
import FakeDiscord
import Testing

/// What a long-running bot hears from the session: interactions, guilds coming and going,
/// resumes and replaced sessions, and the voice and permission state it decides with.
@Suite struct GatewayEventTests {
    typealias Sample = FakeDiscord.Sample
    static let human = Snowflake(Sample.humanID)!
    static let empty = Snowflake(Sample.emptyChannelID)!
    static let bot = Snowflake(Sample.bot.id)!

    @Test func readyGivesTheApplicationIDAndGuildCreateAnnouncesTheGuild() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            #expect(await harness.gateway.applicationID == Self.bot)
            let event = try await nextEvent(of: harness.gateway) { $0 == .guildAvailable(Harness.guild) }
            #expect(event == .guildAvailable(Harness.guild))
        }
    }

    @Test func anInteractionArrivesOnTheEventStreamAsDiscordSentIt() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let sent = try #require(
                await harness.fake.sendInteraction(options: [.init(name: "preset", value: .string("classic"))]))
            let interaction = try await nextInteraction(of: harness.gateway)
            #expect(interaction["id"]?.string == sent.id)
            #expect(interaction["token"]?.string == sent.token)
            #expect(interaction["application_id"]?.snowflake == Self.bot)
            #expect(interaction["type"]?.int == 2)
            #expect(interaction["guild_id"]?.snowflake == Harness.guild)
            #expect(interaction["member"]?["user"]?["id"]?.snowflake == Self.human)
            #expect(interaction["data"]?["name"]?.string == "scream")
            #expect(interaction["data"]?["options"]?.array?.first?["value"]?.string == "classic")
        }
    }

    @Test func humansVoiceStateUpdatesKeepTheirChannelCurrent() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            #expect(try await harness.gateway.guild(Harness.guild).voiceStates[Self.human]?.channelID == Harness.lobby)
            #expect(await harness.fake.moveMember(Sample.humanID, to: Sample.emptyChannelID))
            try await waitForMarker(harness)
            #expect(try await harness.gateway.guild(Harness.guild).voiceStates[Self.human]?.channelID == Self.empty)
            #expect(await harness.fake.moveMember(Sample.humanID, to: nil))
            try await waitForMarker(harness)
            #expect(try await harness.gateway.guild(Harness.guild).voiceStates[Self.human] == nil)
        }
    }

    @Test func guildDeleteWithUnavailableIsAnOutageAndWithoutItARemoval() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            _ = try await harness.gateway.guild(Harness.guild)
            #expect(await harness.fake.dispatch("GUILD_DELETE", data: #"{"id":"\#(Sample.guildID)","unavailable":true}"#))
            let outage = try await nextEvent(of: harness.gateway) { if case .guildAvailable = $0 { false } else { true } }
            #expect(outage == .guildUnavailable(Harness.guild))
            #expect(await harness.fake.dispatch("GUILD_DELETE", data: #"{"id":"\#(Sample.guildID)"}"#))
            let removal = try await nextEvent(of: harness.gateway) { _ in true }
            #expect(removal == .guildRemoved(Harness.guild))
            let error = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.guild(Harness.guild)
            }
            #expect(error == .unknownGuild(Harness.guild))
        }
    }

    @Test func roleChannelAndMemberUpdatesChangeTheBotsPermissions() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            #expect(try await harness.gateway.guild(Harness.guild).permissions(of: Self.bot, in: Harness.party) == [
                .viewChannel, Permissions(rawValue: 1 << 11), .connect, .speak,
            ])
            let guild = Sample.guildID
            #expect(
                await harness.fake.dispatch(
                    "GUILD_ROLE_UPDATE",
                    data: #"{"guild_id":"\#(guild)","role":{"id":"\#(guild)","name":"@everyone","permissions":"1024"}}"#))
            #expect(
                await harness.fake.dispatch(
                    "GUILD_ROLE_CREATE",
                    data: #"{"guild_id":"\#(guild)","role":{"id":"600000000000000001","name":"DJ","permissions":"3145728"}}"#))
            #expect(
                await harness.fake.dispatch(
                    "CHANNEL_UPDATE",
                    data: #"""
                        {"guild_id":"\#(guild)","id":"\#(Sample.partyChannelID)","name":"Party","type":2,"user_limit":5,
                        "permission_overwrites":[{"id":"600000000000000001","type":0,"allow":"0","deny":"2097152"}]}
                        """#))
            try await waitForMarker(harness)
            var state = try await harness.gateway.guild(Harness.guild)
            #expect(state.permissions(of: Self.bot, in: Harness.party) == .viewChannel)
            #expect(state.channels[Harness.party]?.userLimit == 5)
            #expect(
                await harness.fake.dispatch(
                    "GUILD_MEMBER_UPDATE",
                    data: #"{"guild_id":"\#(guild)","roles":["600000000000000001"],"user":{"id":"\#(Sample.bot.id)","bot":true}}"#))
            try await waitForMarker(harness)
            state = try await harness.gateway.guild(Harness.guild)
            #expect(state.permissions(of: Self.bot, in: Harness.party) == [.viewChannel, .connect])
            #expect(state.permissions(of: Self.bot, in: Harness.lobby) == [.viewChannel, .connect, .speak])
        }
    }

    @Test func aResumeIsAnnounced() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            await harness.fake.inject(.gatewayReconnect)
            let event = try await nextEvent(of: harness.gateway) { if case .guildAvailable = $0 { false } else { true } }
            #expect(event == .resumed)
        }
    }

    /// Heartbeats 30 s apart, so a machine that stalls for a few seconds makes no reconnect of its own.
    @Test func aFreshIdentifyAfterAnInvalidSessionIsAnnouncedAsReplaced() async throws {
        let harness = try await Harness.start(FakeDiscord.Options(heartbeatInterval: .seconds(30)))
        try await harness.run { harness in
            try await harness.gateway.connect()
            await harness.fake.inject(.gatewayInvalidSession(resumable: false))
            let event = try await nextEvent(of: harness.gateway, timeout: .seconds(15)) {
                if case .guildAvailable = $0 { false } else { true }
            }
            #expect(event == .sessionReplaced)
            #expect(harness.fake.recorder.identifies.count == 2)
            _ = try await harness.gateway.guild(Harness.guild)
        }
    }

    @Test func forbiddenAndFullChannelsAreRefusedWithTheirReasonsBeforeAnythingIsSent() async throws {
        var guild = Sample.guild()
        for index in guild.channels.indices {
            switch guild.channels[index].id {
            case Sample.partyChannelID:
                guild.channels[index].overwrites = [.init(id: Sample.guildID, deny: FakeDiscord.Permission.connect)]
            case Sample.lobbyChannelID:
                guild.channels[index].userLimit = 1
            default:
                break
            }
        }
        let harness = try await Harness.start(FakeDiscord.Options(guilds: [guild]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let pick = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.busiestVoiceChannel(in: Harness.guild)
            }
            #expect(pick == .noJoinableVoiceChannel(guild: Harness.guild))
            let forbidden = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            }
            #expect(forbidden == .missingPermissions(.connect, channel: Harness.party, guild: Harness.guild))
            let full = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.lobby)
            }
            #expect(full == .channelFull(Harness.lobby, limit: 1))
            #expect(harness.fake.recorder.voiceStateUpdates.isEmpty)
        }
    }
}

/// No matching gateway event came in time.
struct EventTimeout: Error, CustomStringConvertible {
    var description: String { "no matching gateway event arrived in time" }
}

/// The next event on `gateway.events` that `matching` accepts, failing after `timeout` (15 s
/// unless given, as the harness's own waits: CPU-bound suites in the same test process can
/// hold every thread of the concurrency pool for seconds).
func nextEvent(
    of gateway: GatewayClient, timeout: Duration = .seconds(15),
    matching: @escaping @Sendable (GatewayEvent) -> Bool
) async throws -> GatewayEvent {
    let events = gateway.events
    return try await withThrowingTaskGroup(of: GatewayEvent?.self) { group in
        group.addTask {
            for await event in events where matching(event) { return event }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        guard let first else { throw EventTimeout() }
        return first
    }
}

/// The next interaction's raw object.
func nextInteraction(of gateway: GatewayClient) async throws -> JSONValue {
    let event = try await nextEvent(of: gateway) { if case .interaction = $0 { true } else { false } }
    guard case .interaction(let data) = event else { throw EventTimeout() }
    return data
}

/// Sends an interaction and waits for it: every dispatch before it has been handled by then.
func waitForMarker(_ harness: Harness) async throws {
    let sent = try #require(await harness.fake.sendInteraction(command: "marker"))
    let data = try await nextInteraction(of: harness.gateway)
    #expect(data["id"]?.string == sent.id)
}
