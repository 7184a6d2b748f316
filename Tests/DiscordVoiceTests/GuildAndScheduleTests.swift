import Testing

@testable import DiscordVoice

/// Voice-state bookkeeping, channel auto-pick and the 20 ms schedule, without sockets.
@Suite struct GuildAndScheduleTests {
    static let guildCreate: JSONValue = [
        "id": "1", "name": "Test", "roles": [["id": "1", "name": "@everyone", "permissions": "3148800"]],
        "channels": [
            ["id": "10", "name": "General", "type": 2], ["id": "11", "name": "Music", "type": 2],
            ["id": "12", "name": "text", "type": 0],
        ],
        "members": [["user": ["id": "100", "bot": true]], ["user": ["id": "101"]]],
        "voice_states": [
            ["user_id": "100", "channel_id": "10", "session_id": "a"],
            ["user_id": "101", "channel_id": "11", "session_id": "b"],
            ["user_id": "102", "channel_id": "10", "session_id": "c", "member": ["user": ["id": "102", "bot": true]]],
        ],
    ]

    @Test func guildCreateYieldsChannelsVoiceStatesAndBots() throws {
        let guild = try #require(Guild(guildCreate: Self.guildCreate))
        #expect(guild.channels.count == 3)
        #expect(guild.channels[Snowflake(12)]?.isVoice == false)
        #expect(guild.voiceStates.count == 3)
        #expect(guild.bots == [Snowflake(100), Snowflake(102)])
    }

    @Test func autoPickCountsOnlyUsersThatAreNotBots() throws {
        let guild = try #require(Guild(guildCreate: Self.guildCreate))
        #expect(guild.busiestVoiceChannel(excluding: nil) == Snowflake(11))
    }

    @Test func autoPickPassesOverAStageEvenWithTheBiggestAudience() throws {
        var guild = try #require(Guild(guildCreate: Self.guildCreate))
        guild.channels[Snowflake(13)] = GuildChannel(id: Snowflake(13), name: "Town hall", type: 13)
        for user in 200..<205 {
            guild.apply(VoiceState(userID: Snowflake(UInt64(user)), channelID: Snowflake(13), sessionID: "s\(user)"))
        }
        #expect(guild.channels[Snowflake(13)]?.isStage == true)
        #expect(guild.busiestVoiceChannel(excluding: nil) == Snowflake(11))
    }

    @Test func autoPickFollowsVoiceStateUpdatesAndFindsNothingInAnEmptyGuild() throws {
        var guild = try #require(Guild(guildCreate: Self.guildCreate))
        guild.apply(VoiceState(userID: Snowflake(103), channelID: Snowflake(10), sessionID: "d"))
        guild.apply(VoiceState(userID: Snowflake(104), channelID: Snowflake(10), sessionID: "e"))
        #expect(guild.busiestVoiceChannel(excluding: nil) == Snowflake(10))
        guild.apply(VoiceState(userID: Snowflake(103), channelID: nil, sessionID: "d"))
        guild.apply(VoiceState(userID: Snowflake(104), channelID: nil, sessionID: "e"))
        guild.apply(VoiceState(userID: Snowflake(101), channelID: nil, sessionID: "b"))
        #expect(guild.busiestVoiceChannel(excluding: nil) == nil)
    }

    @Test func autoPickIgnoresTheBotItself() throws {
        var guild = try #require(Guild(guildCreate: Self.guildCreate))
        guild.apply(VoiceState(userID: Snowflake(500), channelID: Snowflake(10), sessionID: "me"))
        guild.apply(VoiceState(userID: Snowflake(501), channelID: Snowflake(10), sessionID: "x"))
        #expect(guild.busiestVoiceChannel(excluding: Snowflake(500)) == Snowflake(10))
        #expect(guild.busiestVoiceChannel(excluding: Snowflake(501)) == Snowflake(10))
    }

    @Test func scheduleDeadlinesAreAbsoluteMultiplesOfTheInterval() {
        let origin = ContinuousClock.now
        var schedule = FrameSchedule(origin: origin)
        for _ in 0..<500 { schedule.advance(now: schedule.deadline + .milliseconds(3)) }
        #expect(schedule.deadline == origin + .milliseconds(20) * 500)
        #expect(schedule.skippedSlots == 0)
    }

    @Test func scheduleSkipsAheadAfterAStallInsteadOfBursting() {
        let origin = ContinuousClock.now
        var schedule = FrameSchedule(origin: origin)
        schedule.advance(now: origin + .milliseconds(1))
        schedule.advance(now: origin + .milliseconds(125))
        #expect(schedule.deadline == origin + .milliseconds(140))
        #expect(schedule.skippedSlots == 5)
        schedule.advance(now: origin + .milliseconds(141))
        #expect(schedule.deadline == origin + .milliseconds(160))
        #expect(schedule.skippedSlots == 5)
        schedule.advance(now: origin + .milliseconds(201))
        #expect(schedule.deadline == origin + .milliseconds(220))
        #expect(schedule.skippedSlots == 7)
    }

    @Test func latenessHistogramReportsPercentilesInTenthsOfAMillisecond() {
        var histogram = LatenessHistogram()
        for _ in 0..<98 { histogram.record(.microseconds(50)) }
        histogram.record(.microseconds(-20))
        histogram.record(.milliseconds(3))
        #expect(histogram.count == 100)
        #expect(histogram.percentile(0.5) == .microseconds(100))
        #expect(histogram.percentile(0.99) == .microseconds(100))
        #expect(histogram.percentile(1.0) == .milliseconds(3))
        #expect(histogram.maximum == .milliseconds(3))
    }

    @Test func missingCAFileFailsWithItsPath() {
        let error = #expect(throws: DiscordVoiceError.self) {
            _ = try GatewayClient(configuration: .init(token: "t", caFile: "/nonexistent/ca.pem"))
        }
        #expect(error?.description.contains("/nonexistent/ca.pem") == true)
    }
}
