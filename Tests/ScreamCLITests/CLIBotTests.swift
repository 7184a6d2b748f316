import FakeDiscord
import Foundation
import Testing

/// `scream bot` against a local fake Discord: the real binary answering `/scream`
/// interactions over the fake's gateway, its HTTPS API, and its voice servers.
@Suite struct CLIBotTests {
    typealias Sample = FakeDiscord.Sample
    typealias Route = FakeDiscord.RESTRoute

    /// How long any one step of the bot may take on a loaded machine.
    static let patience: Duration = .seconds(30)

    /// A second guild with one human in its voice channel, for screams in two guilds at once.
    static let otherGuild = FakeDiscord.Guild(
        id: "200000000000000002", name: "Other Guild",
        channels: [
            FakeDiscord.Channel(id: "310000000000000001", name: "chat", kind: .text),
            FakeDiscord.Channel(id: "310000000000000002", name: "Hangout", kind: .voice),
        ],
        members: [FakeDiscord.User(id: "410000000000000001", username: "visitor")],
        voiceStates: [FakeDiscord.VoiceState(userID: "410000000000000001", channelID: "310000000000000002", sessionID: "vs-v1")])

    /// The second human of the sample guild; sits in the party channel with the third.
    static let partyHuman = "400000000000000002"
    static let otherPartyHuman = "400000000000000003"

    // MARK: - Registration

    @Test func registersScreamOnceAndNotAgainWhenItIsUnchanged() async throws {
        try await FakeDiscord.withRunning { fake in
            let first = try BotRun(fake: fake)
            try await first.waitUntilRegistered()
            let firstResult = try await first.stop()
            #expect(firstResult.status == 0)
            #expect(fake.rest.requests(to: "PUT " + Route.globalCommands).count == 1)
            let registered = try #require(fake.rest.commands().first)
            for name in ["\"scream\"", "\"preset\"", "\"duration\"", "\"seed\"", "\"volume\"", "\"random\"", "\"banshee\""] {
                #expect(registered.contains(name))
            }

            let second = try BotRun(fake: fake)
            try await fake.rest.waitForRequests(2, to: "GET " + Route.globalCommands, timeout: Self.patience)
            try await second.waitForLog("is registered globally already")
            let secondResult = try await second.stop()
            #expect(secondResult.status == 0)
            #expect(fake.rest.requests(to: "PUT " + Route.globalCommands).count == 1)
        }
    }

    @Test func guildRegistrationPutsTheCommandInThatGuildOnly() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: ["--guild", Sample.guildID])
            try await fake.rest.waitForRequests(1, to: "PUT " + Route.guildCommands, timeout: Self.patience)
            _ = try await bot.stop()
            #expect(fake.rest.requests(to: "PUT " + Route.globalCommands).isEmpty)
            #expect(fake.rest.commands(guild: Sample.guildID).count == 1)
        }
    }

    @Test func aMissingCommandsScopeExitsTwoWithTheInviteURL() async throws {
        let options = FakeDiscord.Options(rest: FakeDiscord.RESTOptions(commandsScope: false))
        try await FakeDiscord.withRunning(options) { fake in
            let result = try await BotRun(fake: fake).finish()
            #expect(result.status == 2)
            #expect(lastLine(of: result.stderr) == "error: Discord refused to register /scream: the bot was added without the applications.commands scope; invite it again with https://discord.com/oauth2/authorize?client_id=\(Sample.bot.id)&scope=bot%20applications.commands&permissions=3146752")
        }
    }

    @Test func aBadTokenExitsTwoWithTheSentence() async throws {
        try await FakeDiscord.withRunning { fake in
            let result = try await BotRun(fake: fake, token: "not-the-token.MTAw.wrong").finish()
            #expect(result.status == 2)
            #expect(lastLine(of: result.stderr) == "error: Discord rejected the bot token (HTTP 401); check the token from the Developer Portal.")
            #expect(!result.stderr.contains("not-the-token"))
            #expect(fake.recorder.identifies.isEmpty)
        }
    }

    @Test func aLowIdentifyBudgetStopsTheBotBeforeItConnects() async throws {
        let limit = FakeDiscord.SessionStartLimit(total: 100, remaining: 20, resetAfter: 2_700_000)
        try await FakeDiscord.withRunning(FakeDiscord.Options(rest: .init(sessionStartLimit: limit))) { fake in
            let result = try await BotRun(fake: fake).finish()
            #expect(result.status == 2)
            #expect(
                lastLine(of: result.stderr)
                    == "error: only 20 of the 100 gateway logins (IDENTIFY) Discord allows this token a day are left until "
                    + "they reset in 45 min, and the bot keeps the last 20 for other tools, since running out gets the token "
                    + "reset; start it again after the reset.")
            #expect(fake.recorder.identifies.isEmpty)
            #expect(fake.rest.requests(to: "GET " + Route.globalCommands).isEmpty)
        }
    }

    // MARK: - Screaming

    @Test func aScreamJoinsTheCallersChannelPlaysLeavesAndEditsTheReply() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake)
            try await bot.waitUntilRegistered()
            let sent = try #require(await fake.sendInteraction(options: [
                .init(name: "preset", value: .string("banshee")), .init(name: "duration", value: .number(0.5)),
            ]))
            let answered = try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.original != nil }
            #expect(answered.callbackType == 4)
            #expect(answered.flags & 64 == 0)
            // The reply as the callback sent it: a 0.5 s scream may be edited before this test looks.
            let callback = try #require(fake.rest.requests(to: Route.interactionCallback).first { $0.status == 204 })
            let body = try JSONSerialization.jsonObject(with: Data(callback.body.utf8)) as? [String: Any]
            let content = (body?["data"] as? [String: Any])?["content"] as? String
            #expect(content == "Screaming in <#\(Sample.lobbyChannelID)>…")
            let done = try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.edits > 0 }
            #expect(done.original == "screamed banshee for 0.5 s — /scream preset:banshee duration:0.5 replays it")
            try await fake.recorder.waitForLeave(timeout: Self.patience)
            try await fake.recorder.waitForClosingSilence(timeout: .seconds(5))
            #expect(fake.recorder.decryptFailures.isEmpty)
            let packets = fake.recorder.rtpPackets
            #expect(packets.count == 26 + 5)
            #expect(zip(packets, packets.dropFirst()).allSatisfy { $1.sequence == $0.sequence &+ 1 && $1.timestamp == $0.timestamp &+ 960 })
            #expect(fake.recorder.voiceStateUpdates.map(\.channelID) == [Sample.lobbyChannelID, nil])
            let result = try await bot.stop()
            #expect(result.status == 0)
        }
    }

    @Test func aRandomScreamRepliesWithTheSeedThatReplaysIt() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: ["--max-duration", "0.5s"])
            try await bot.waitUntilRegistered()
            let sent = try #require(await fake.sendInteraction(options: [.init(name: "preset", value: .string("random"))]))
            let done = try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.edits > 0 }
            let reply = try #require(done.original)
            #expect(reply.hasPrefix("screamed seed "))
            #expect(reply.contains(" for 0.5 s — /scream preset:random seed:"))
            #expect(reply.hasSuffix(" replays it"))
            _ = try await bot.stop()
        }
    }

    @Test func twoGuildsScreamAtTheSameTime() async throws {
        let options = FakeDiscord.Options(guilds: [Sample.guild(), Self.otherGuild])
        try await FakeDiscord.withRunning(options) { fake in
            let bot = try BotRun(fake: fake)
            try await bot.waitUntilRegistered()
            let duration = FakeDiscord.CommandOption(name: "duration", value: .number(2))
            let first = try #require(await fake.sendInteraction(options: [duration]))
            let second = try #require(await fake.sendInteraction(
                guildID: Self.otherGuild.id, channelID: "310000000000000001", userID: "410000000000000001", options: [duration]))
            for token in [first.token, second.token] {
                let done = try await fake.rest.waitForInteraction(token: token, timeout: Self.patience) { $0.edits > 0 }
                #expect(done.original?.hasPrefix("screamed ") == true)
            }
            let packets = fake.recorder.rtpPackets
            let streams = Dictionary(grouping: packets, by: \.ssrc)
            #expect(streams.count == 2)
            // The two 2 s screams overlap in time: each stream's first packet comes before the other's last.
            let spans = streams.values.compactMap { stream in stream.first.flatMap { first in stream.last.map { (first.arrival, $0.arrival) } } }
            #expect(spans.count == 2 && spans[0].0 < spans[1].1 && spans[1].0 < spans[0].1)
            #expect(Set(fake.recorder.voiceStateUpdates.compactMap(\.channelID)) == [Sample.lobbyChannelID, "310000000000000002"])
            _ = try await bot.stop()
        }
    }

    @Test func onAStageWithMuteMembersTheBotMakesItselfASpeakerAndScreams() async throws {
        var guild = Self.withChannel(Sample.lobbyChannelID) { $0.kind = .stageVoice }
        guild.roles.append(FakeDiscord.Role(id: "600000000000000001", name: "stage crew", permissions: FakeDiscord.Permission.muteMembers))
        guild.memberRoles[Sample.bot.id] = ["600000000000000001"]
        try await FakeDiscord.withRunning(FakeDiscord.Options(guilds: [guild])) { fake in
            let bot = try BotRun(fake: fake)
            try await bot.waitUntilRegistered()
            let sent = try #require(await fake.sendInteraction(options: [.init(name: "duration", value: .number(0.5))]))
            let done = try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.edits > 0 }
            #expect(done.original?.hasPrefix("screamed ") == true)
            try await fake.recorder.waitForLeave(timeout: Self.patience)
            try await fake.recorder.waitForClosingSilence(timeout: .seconds(5))
            #expect(fake.recorder.rtpPackets.count == 26 + 5)
            #expect(fake.rest.requests(to: Route.currentUserVoiceState).map(\.status) == [204])
            let events = fake.recorder.events
            let patch = events.firstIndex {
                if case .restRequest(let request) = $0 { request.route == Route.currentUserVoiceState } else { false }
            }
            let firstAudio = events.firstIndex { if case .rtp = $0 { true } else { false } }
            #expect(patch != nil && firstAudio != nil && patch! < firstAudio!)
            #expect(fake.recorder.voiceStateUpdates.map(\.channelID) == [Sample.lobbyChannelID, nil])
            _ = try await bot.stop()
        }
    }

    @Test func screamsInOneGuildQueueAndShareTheConnection() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: ["--cooldown", "0s"])
            try await bot.waitUntilRegistered()
            // Long enough that the second /scream arrives while the first plays, on a busy machine too.
            let duration = FakeDiscord.CommandOption(name: "duration", value: .number(3))
            let first = try #require(await fake.sendInteraction(userID: Self.partyHuman, options: [duration]))
            try await fake.rest.waitForInteraction(token: first.token, timeout: Self.patience) { $0.original != nil }
            let second = try #require(await fake.sendInteraction(userID: Self.otherPartyHuman, options: [duration]))
            let queued = try await fake.rest.waitForInteraction(token: second.token, timeout: Self.patience) { $0.original != nil }
            #expect(queued.original == "Queued for <#\(Sample.partyChannelID)>: number 1 in line.")
            for token in [first.token, second.token] {
                let done = try await fake.rest.waitForInteraction(token: token, timeout: Self.patience) { $0.edits > 0 }
                #expect(done.original?.hasPrefix("screamed ") == true)
            }
            try await fake.recorder.waitForLeave(timeout: Self.patience)
            #expect(fake.recorder.voiceStateUpdates.map(\.channelID) == [Sample.partyChannelID, nil])
            _ = try await bot.stop()
        }
    }

    @Test func aSecondIdenticalScreamPlaysFromThePacketCacheWithTheSameBytes() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: ["--cooldown", "0s"])
            try await bot.waitUntilRegistered()
            let options: [FakeDiscord.CommandOption] = [
                .init(name: "preset", value: .string("classic")), .init(name: "duration", value: .number(0.5)),
            ]
            var plays: [[[UInt8]]] = []
            for _ in 0..<2 {
                let before = fake.recorder.rtpPackets.count
                let sent = try #require(await fake.sendInteraction(options: options))
                let done = try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.edits > 0 }
                #expect(done.original?.hasPrefix("screamed classic for 0.5 s") == true)
                try await fake.recorder.waitForPackets(before + 26 + 5, timeout: Self.patience)
                try await fake.recorder.waitForClosingSilence(timeout: .seconds(5))
                plays.append(fake.recorder.rtpPackets.dropFirst(before).map(\.payload))
            }
            #expect(bot.log.components(separatedBy: "cache miss").count == 2)
            #expect(bot.log.components(separatedBy: "cache hit").count == 2)
            #expect(plays[0].count == 26 + 5)
            #expect(plays[1] == plays[0])
            #expect(fake.recorder.decryptFailures.isEmpty)
            _ = try await bot.stop()
        }
    }

    @Test func withThePacketCacheOffEveryScreamIsEncodedAgain() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: ["--cooldown", "0s", "--packet-cache", "0"])
            try await bot.waitUntilRegistered()
            let options: [FakeDiscord.CommandOption] = [
                .init(name: "preset", value: .string("classic")), .init(name: "duration", value: .number(0.5)),
            ]
            for _ in 0..<2 {
                let sent = try #require(await fake.sendInteraction(options: options))
                try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.edits > 0 }
            }
            #expect(bot.log.components(separatedBy: "playing preset classic: 26 frames\n").count == 3)
            #expect(!bot.log.contains("cache hit"))
            _ = try await bot.stop()
        }
    }

    @Test func aRateLimitedCallbackIsSentAfterRetryAfter() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake)
            try await bot.waitUntilRegistered()
            fake.rest.inject(.rateLimited(retryAfter: .milliseconds(400)), route: Route.interactionCallback)
            let sent = try #require(await fake.sendInteraction(options: [.init(name: "duration", value: .number(0.5))]))
            try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.edits > 0 }
            let callbacks = fake.rest.requests(to: Route.interactionCallback)
            #expect(callbacks.map(\.status) == [429, 204])
            if callbacks.count == 2 {
                #expect(callbacks[1].arrival - callbacks[0].arrival >= .milliseconds(400))
            }
            _ = try await bot.stop()
        }
    }

    @Test func aReconnectBetweenScreamsResumesAndTheNextScreamPlays() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: ["--cooldown", "0s"])
            try await bot.waitUntilRegistered()
            let duration = FakeDiscord.CommandOption(name: "duration", value: .number(0.5))
            let first = try #require(await fake.sendInteraction(options: [duration]))
            try await fake.rest.waitForInteraction(token: first.token, timeout: Self.patience) { $0.edits > 0 }
            await fake.inject(.gatewayReconnect)
            try await fake.recorder.waitFor("the RESUME", timeout: Self.patience) { _ in !fake.recorder.resumes.isEmpty }
            let second = try await Self.sendWhenConnected(fake, options: [duration])
            let done = try await fake.rest.waitForInteraction(token: second.token, timeout: Self.patience) { $0.edits > 0 }
            #expect(done.original?.hasPrefix("screamed ") == true)
            #expect(fake.recorder.identifies.count == 1)
            _ = try await bot.stop()
        }
    }

    @Test func aNewSessionMidScreamEndsItAndTheReplySaysSo() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake)
            try await bot.waitUntilRegistered()
            let sent = try #require(await fake.sendInteraction(options: [.init(name: "duration", value: .number(20))]))
            try await fake.recorder.waitForPackets(10, timeout: Self.patience)
            await fake.inject(.gatewayInvalidSession(resumable: false))
            let stopped = try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.edits > 0 }
            #expect(stopped.original == "Stopped: the bot lost its Discord session and had to start a new one.")
            #expect(fake.recorder.identifies.count == 2)
            let again = try await Self.sendWhenConnected(fake, options: [.init(name: "duration", value: .number(0.5))])
            let done = try await fake.rest.waitForInteraction(token: again.token, timeout: Self.patience) { $0.edits > 0 }
            #expect(done.original?.hasPrefix("screamed ") == true)
            _ = try await bot.stop()
        }
    }

    @Test func sigtermMidScreamEndsItLeavesEditsTheReplyAndExitsZero() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake)
            try await bot.waitUntilRegistered()
            let sent = try #require(await fake.sendInteraction(options: [.init(name: "duration", value: .number(20))]))
            try await fake.recorder.waitForPackets(10, timeout: Self.patience)
            let result = try await bot.stop(signal: SIGTERM)
            #expect(result.status == 0)
            let record = try #require(fake.rest.interaction(token: sent.token))
            #expect(record.original == "Stopped: the bot is shutting down.")
            try await fake.recorder.waitForLeave(timeout: .seconds(5))
            try await fake.recorder.waitForClosingSilence(timeout: .seconds(5))
            #expect(fake.recorder.rtpPackets.count < 500)
        }
    }

    @Test func aVoiceChannelLeftOverFromACrashIsLeftAtStart() async throws {
        var guild = Sample.guild()
        guild.voiceStates.append(FakeDiscord.VoiceState(userID: Sample.bot.id, channelID: Sample.emptyChannelID, sessionID: "vs-stale"))
        try await FakeDiscord.withRunning(FakeDiscord.Options(guilds: [guild])) { fake in
            let bot = try BotRun(fake: fake)
            try await fake.recorder.waitForLeave(timeout: Self.patience)
            #expect(fake.recorder.voiceStateUpdates.map(\.channelID) == [nil])
            _ = try await bot.stop()
        }
    }

    // MARK: - Refusals

    /// A `/scream` the bot must turn down, and the ephemeral sentence it must answer with.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var guild = Sample.guild()
        var user = Sample.humanID
        var options: [FakeDiscord.CommandOption] = []
        var arguments: [String] = []
        var message: String

        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "not in voice", guild: Sample.guild(populated: false),
            message: "Join a voice channel first, then use /scream again."),
        Refusal(
            name: "stage channel", guild: withChannel(Sample.lobbyChannelID) { $0.kind = .stageVoice },
            message: "<#\(Sample.lobbyChannelID)> is a stage, where I could only listen; give me Mute Members there to speak, or join a voice channel and try again."),
        Refusal(
            name: "no Speak", guild: withChannel(Sample.lobbyChannelID) {
                $0.overwrites = [.init(id: Sample.guildID, deny: FakeDiscord.Permission.speak)]
            },
            message: "I can't scream in <#\(Sample.lobbyChannelID)>: I lack the Speak permission there."),
        Refusal(
            name: "no Connect or Speak", guild: withChannel(Sample.lobbyChannelID) {
                $0.overwrites = [.init(id: Sample.guildID, deny: FakeDiscord.Permission.connect | FakeDiscord.Permission.speak)]
            },
            message: "I can't scream in <#\(Sample.lobbyChannelID)>: I lack the Connect and Speak permissions there."),
        Refusal(
            name: "full channel", guild: withChannel(Sample.lobbyChannelID) { $0.userLimit = 1 },
            message: "<#\(Sample.lobbyChannelID)> is full (1 of 1); I can't join it."),
        Refusal(
            name: "duration over the maximum", options: [.init(name: "duration", value: .number(45))],
            message: "The duration option must be from 0.5 to 30 seconds."),
        Refusal(
            name: "unknown preset", options: [.init(name: "preset", value: .string("opera"))],
            message: "The preset option must be one of classic, whisper, death-metal, glitch, banshee, robot, random."),
        Refusal(
            name: "volume above one", options: [.init(name: "volume", value: .number(1.5))],
            message: "The volume option must be a number from 0 to 1."),
    ]

    @Test(arguments: refusals)
    func aRefusedScreamGetsOneEphemeralSentenceAndNoAudio(_ refusal: Refusal) async throws {
        try await FakeDiscord.withRunning(FakeDiscord.Options(guilds: [refusal.guild])) { fake in
            let bot = try BotRun(fake: fake, arguments: refusal.arguments)
            try await bot.waitUntilRegistered()
            let sent = try #require(await fake.sendInteraction(userID: refusal.user, options: refusal.options))
            let record = try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.original != nil }
            #expect(record.callbackType == 4)
            #expect(record.flags & 64 == 64)
            #expect(record.original == refusal.message)
            _ = try await bot.stop()
            #expect(fake.recorder.voiceStateUpdates.isEmpty)
            #expect(fake.recorder.rtpPackets.isEmpty)
        }
    }

    @Test func aSecondScreamWithinTheCooldownIsRefused() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: ["--cooldown", "1m"])
            try await bot.waitUntilRegistered()
            let duration = FakeDiscord.CommandOption(name: "duration", value: .number(0.5))
            let first = try #require(await fake.sendInteraction(options: [duration]))
            try await fake.rest.waitForInteraction(token: first.token, timeout: Self.patience) { $0.original != nil }
            let second = try #require(await fake.sendInteraction(options: [duration]))
            let refused = try await fake.rest.waitForInteraction(token: second.token, timeout: Self.patience) { $0.original != nil }
            #expect(refused.flags & 64 == 64)
            let text = try #require(refused.original)
            #expect(text.hasPrefix("You screamed a moment ago; try again in "))
            let seconds = Int(text.dropFirst("You screamed a moment ago; try again in ".count).prefix { $0.isNumber }) ?? 0
            #expect((50...60).contains(seconds))
            _ = try await bot.stop()
        }
    }

    @Test func aFullQueueRefusesTheNextScream() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: ["--queue", "0"])
            try await bot.waitUntilRegistered()
            let first = try #require(await fake.sendInteraction(userID: Self.partyHuman, options: [.init(name: "duration", value: .number(3))]))
            try await fake.rest.waitForInteraction(token: first.token, timeout: Self.patience) { $0.original != nil }
            let second = try #require(await fake.sendInteraction(userID: Self.otherPartyHuman))
            let refused = try await fake.rest.waitForInteraction(token: second.token, timeout: Self.patience) { $0.original != nil }
            #expect(refused.flags & 64 == 64)
            #expect(refused.original == "0 screams are already waiting in this server; try again once they have played.")
            _ = try await bot.stop()
        }
    }

    // MARK: - Support

    /// The last line of a log, where the one error sentence goes.
    func lastLine(of log: String) -> String? {
        log.split(separator: "\n").last.map(String.init)
    }

    /// The sample guild with one channel changed.
    static func withChannel(_ id: String, _ change: (inout FakeDiscord.Channel) -> Void) -> FakeDiscord.Guild {
        var guild = Sample.guild()
        for index in guild.channels.indices where guild.channels[index].id == id {
            change(&guild.channels[index])
        }
        return guild
    }

    /// Sends an interaction once the bot's gateway session is back (after a reconnect).
    static func sendWhenConnected(
        _ fake: FakeDiscord, options: [FakeDiscord.CommandOption]
    ) async throws -> FakeDiscord.SentInteraction {
        let deadline = ContinuousClock.now + patience
        while ContinuousClock.now < deadline {
            if let sent = await fake.sendInteraction(options: options) { return sent }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw FakeDiscordError.timedOut("the bot's gateway session to come back", patience)
    }
}

/// A `scream bot` process running against a fake Discord, its output in files.
final class BotRun: Sendable {
    private let process: ChildProcess
    private let folder: URL
    private let stderrURL: URL

    /// Starts `scream bot arguments` with the fake's environment (plus `environment`), the sample
    /// token and info logs.
    init(
        fake: FakeDiscord, arguments: [String] = [], token: String = FakeDiscord.Sample.token,
        environment: [String: String] = [:]
    ) throws {
        folder = try scratchFolder()
        stderrURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: ScreamBinary.path)
        process.arguments = ["bot"] + arguments + ["--log-level", "info"]
        process.currentDirectoryURL = folder
        process.environment = fake.environment.merging([
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": folder.appendingPathComponent(".home").path, "DISCORD_TOKEN": token,
        ].merging(environment) { _, new in new }) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    /// What the bot logged so far.
    var log: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until the bot has registered `/scream` (or found it registered) and listens.
    func waitUntilRegistered(timeout: Duration = CLIBotTests.patience) async throws {
        try await waitForLog("answering /scream as application", timeout: timeout)
    }

    /// Waits until the log contains `text`.
    func waitForLog(_ text: String, timeout: Duration = CLIBotTests.patience) async throws {
        let deadline = ContinuousClock.now + timeout
        while !log.contains(text) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw FakeDiscordError.timedOut("'\(text)' in the bot's log:\n\(log)", timeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends `signal` and waits for the exit.
    func stop(signal: Int32 = SIGINT, timeout: Duration = .seconds(20)) async throws -> ProcessResult {
        kill(process.processIdentifier, signal)
        return try await finish(timeout: timeout)
    }

    /// Waits for the bot to exit by itself; a bot that overruns is killed and recorded as an issue.
    func finish(timeout: Duration = CLIBotTests.patience) async throws -> ProcessResult {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            process.terminate()
            Issue.record("scream bot did not exit within \(timeout); its log:\n\(log)")
        }
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: Data(), stderr: log)
    }
}
