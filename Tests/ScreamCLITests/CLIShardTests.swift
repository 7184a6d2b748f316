import FakeDiscord
import Foundation
import Testing

/// `scream bot` sharded against the fake Discord: shards in one process and across processes,
/// the shared IDENTIFY turns, and what Discord refuses.
@Suite struct CLIShardTests {
    typealias Sample = FakeDiscord.Sample
    typealias Route = FakeDiscord.RESTRoute

    static let patience = CLIBotTests.patience

    /// A guild that shard `shard` owns among 2 or 4 shards, with one human in its voice channel.
    static func guild(ownedBy shard: Int) -> FakeDiscord.Guild {
        let id = String(((UInt64(48_000_000_000) + UInt64(shard)) << 22) + 1)
        let human = FakeDiscord.User(id: "4200000000000\(shard)0001", username: "human-of-shard-\(shard)")
        return FakeDiscord.Guild(
            id: id, name: "Shard \(shard) Guild",
            channels: [
                FakeDiscord.Channel(id: textChannel(of: shard), name: "chat", kind: .text),
                FakeDiscord.Channel(id: "3200000000000\(shard)0002", name: "Voice", kind: .voice),
            ],
            members: [human],
            voiceStates: [FakeDiscord.VoiceState(userID: human.id, channelID: "3200000000000\(shard)0002", sessionID: "vs-\(shard)")])
    }

    static func textChannel(of shard: Int) -> String { "3200000000000\(shard)0001" }

    /// Four guilds, one per shard of four; `/gateway/bot` recommends 4 shards and lets all start at once.
    static func fourShardWorld(maxConcurrency: Int = 16) -> FakeDiscord.Options {
        FakeDiscord.Options(
            guilds: (0..<4).map(guild(ownedBy:)),
            rest: .init(sessionStartLimit: .init(maxConcurrency: maxConcurrency), shards: 4))
    }

    /// Sends a short `/scream` in shard `shard`'s guild and waits for its reply to be edited.
    static func scream(in shard: Int, fake: FakeDiscord) async throws -> FakeDiscord.SentInteraction {
        let guild = guild(ownedBy: shard)
        let sent = try #require(await fake.sendInteraction(
            guildID: guild.id, channelID: textChannel(of: shard), userID: guild.members[0].id,
            options: [.init(name: "duration", value: .number(0.5))]))
        let done = try await fake.rest.waitForInteraction(token: sent.token, timeout: patience) { $0.edits > 0 }
        #expect(done.original?.hasPrefix("screamed ") == true)
        return sent
    }

    /// Waits until every guild's join and leave arrived, then checks each came on its owner shard.
    static func expectVoiceThroughOwners(_ fake: FakeDiscord, shards: Range<Int>) async throws {
        try await fake.recorder.waitFor("a leave in every guild", timeout: patience) { _ in
            fake.recorder.voiceStateUpdates.filter { $0.channelID == nil }.count >= shards.count
        }
        for shard in shards {
            let updates = fake.recorder.voiceStateUpdates.filter { $0.guildID == guild(ownedBy: shard).id }
            #expect(updates.map(\.channelID) == ["3200000000000\(shard)0002", nil])
            #expect(updates.allSatisfy { $0.shard == shard })
        }
        #expect(fake.recorder.misroutedVoiceStateUpdates.isEmpty)
    }

    @Test func fourShardsInOneProcessServeEachGuildThroughItsOwnShard() async throws {
        try await FakeDiscord.withRunning(Self.fourShardWorld()) { fake in
            let bot = try BotRun(fake: fake)
            try await bot.waitUntilRegistered()
            let identifies = fake.recorder.identifies
            #expect(identifies.compactMap(\.shard).sorted { $0.id < $1.id } == (0..<4).map { FakeDiscord.Shard(id: $0, count: 4) })
            #expect(identifies.allSatisfy { $0.outcome == .ready })
            for shard in 0..<4 { _ = try await Self.scream(in: shard, fake: fake) }
            try await Self.expectVoiceThroughOwners(fake, shards: 0..<4)
            let result = try await bot.stop()
            #expect(result.status == 0)
        }
    }

    @Test func twoProcessesSplitFourShardsAndEachGuildIsServedOnce() async throws {
        try await FakeDiscord.withRunning(Self.fourShardWorld()) { fake in
            let low = try BotRun(fake: fake, arguments: ["--shards", "0-1", "--shard-count", "4"])
            let high = try BotRun(fake: fake, arguments: ["--shards", "2-3", "--shard-count", "4"])
            try await low.waitUntilRegistered()
            try await high.waitUntilRegistered()
            #expect(Set(fake.recorder.identifies.compactMap(\.shard)) == Set((0..<4).map { FakeDiscord.Shard(id: $0, count: 4) }))
            var tokens: [String] = []
            for shard in 0..<4 { tokens.append(try await Self.scream(in: shard, fake: fake).token) }
            try await Self.expectVoiceThroughOwners(fake, shards: 0..<4)
            for token in tokens {
                let callbacks = fake.rest.requests(to: Route.interactionCallback).filter { $0.path.contains(token) }
                #expect(callbacks.map(\.status) == [204])
            }
            #expect(low.log.contains("starting shards 0-1 of 4"))
            #expect(high.log.contains("starting shards 2-3 of 4"))
            #expect(try await low.stop().status == 0)
            #expect(try await high.stop().status == 0)
        }
    }

    /// The one test that waits out Discord's 5 s between two IDENTIFYs of one bucket.
    @Test func withMaxConcurrencyOneTheSecondShardIdentifiesFiveSecondsAfterTheFirst() async throws {
        let options = FakeDiscord.Options(
            guilds: [Self.guild(ownedBy: 0), Self.guild(ownedBy: 1)],
            rest: .init(sessionStartLimit: .init(maxConcurrency: 1), shards: 2))
        try await FakeDiscord.withRunning(options) { fake in
            let bot = try BotRun(fake: fake)
            try await bot.waitUntilRegistered(timeout: Self.patience + .seconds(10))
            let identifies = fake.recorder.identifies
            #expect(identifies.compactMap(\.shard) == [FakeDiscord.Shard(id: 0, count: 2), FakeDiscord.Shard(id: 1, count: 2)])
            #expect(identifies.map(\.outcome) == [.ready, .ready])
            if identifies.count == 2 {
                #expect(identifies[1].arrival - identifies[0].arrival >= .seconds(5))
            }
            #expect(try await bot.stop().status == 0)
        }
    }

    /// Checked by the fake's arrival times and without waiting for shards 2 and 3: whatever
    /// arrived by the stop must keep to the buckets.
    @Test func withMaxConcurrencyTwoShardsZeroAndOneIdentifyTogetherAndTwoAndThreeWait() async throws {
        try await FakeDiscord.withRunning(Self.fourShardWorld(maxConcurrency: 2)) { fake in
            let bot = try BotRun(fake: fake)
            try await fake.recorder.waitFor("the IDENTIFYs of shards 0 and 1", timeout: Self.patience) { _ in
                fake.recorder.identifies.count >= 2
            }
            let result = try await bot.stop()
            #expect(result.status == 0)
            let identifies = fake.recorder.identifies
            #expect(Set(identifies.prefix(2).compactMap(\.shard?.id)) == [0, 1])
            #expect(identifies.allSatisfy { $0.outcome == .ready })
            let firstPair = identifies.prefix(2).map(\.arrival)
            if let earliest = firstPair.min(), let latest = firstPair.max() {
                // One bucket would have put 5 s between them: these two did not wait for each other.
                #expect(latest - earliest < .seconds(5))
                for later in identifies.dropFirst(2) {
                    #expect((later.shard?.id ?? 0) >= 2)
                    #expect(later.arrival - earliest >= .seconds(5))
                }
            }
        }
    }

    /// Discord's recommendation and the count that was refused, and the count the sentence names.
    struct ShardingRequired: Sendable, CustomTestStringConvertible {
        var recommended: Int
        var required: Int
        var arguments: [String]
        var suggested: Int

        var testDescription: String { "recommended \(recommended), \(arguments.joined(separator: " "))" }
    }

    @Test(arguments: [
        ShardingRequired(recommended: 1, required: 2, arguments: [], suggested: 2),
        ShardingRequired(recommended: 4, required: 3, arguments: ["--shard-count", "2"], suggested: 4),
    ])
    func closeCode4011EndsTheBotWithTheShardCountToUse(_ scenario: ShardingRequired) async throws {
        let options = FakeDiscord.Options(
            rest: .init(sessionStartLimit: .init(maxConcurrency: 16), shards: scenario.recommended),
            requiredShards: scenario.required)
        try await FakeDiscord.withRunning(options) { fake in
            let result = try await BotRun(fake: fake, arguments: scenario.arguments).finish()
            #expect(result.status == 2)
            #expect(
                result.stderr.split(separator: "\n").last.map(String.init)
                    == "error: Discord requires sharding for this bot: run it with --shard-count \(scenario.suggested) "
                    + "(or leave --shard-count out to use Discord's recommendation).")
            #expect(fake.recorder.identifies.contains { $0.outcome == .closed(4011) })
        }
    }

    @Test func fewerIdentifiesLeftThanShardsStopsTheBotBeforeItConnects() async throws {
        let limit = FakeDiscord.SessionStartLimit(total: 1000, remaining: 3, resetAfter: 2_700_000, maxConcurrency: 16)
        try await FakeDiscord.withRunning(FakeDiscord.Options(rest: .init(sessionStartLimit: limit, shards: 4))) { fake in
            let result = try await BotRun(fake: fake).finish()
            #expect(result.status == 2)
            #expect(
                result.stderr.split(separator: "\n").last.map(String.init)
                    == "error: only 3 of the 1000 gateway logins (IDENTIFY) Discord allows this token a day are left until "
                    + "they reset in 45 min, fewer than the 4 shards this process would start; start it again after the "
                    + "reset, or run fewer shards with --shards.")
            #expect(fake.recorder.identifies.isEmpty)
        }
    }
}
