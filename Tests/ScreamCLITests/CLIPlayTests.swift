import FakeDiscord
import Foundation
import Synchronization
import Testing

/// `scream play` against a local fake Discord: the real binary, real sockets, TLS from a test CA.
///
/// The fake decrypts every RTP packet with the session key and records every message, so the
/// tests check the wire behaviour a user's bot would show on Discord.
@Suite struct CLIPlayTests {
    typealias Sample = FakeDiscord.Sample
    static let silence: [UInt8] = [0xF8, 0xFF, 0xFE]

    /// Runs `scream play arguments` against `fake` with the sample token, on a thread of its
    /// own so the fake and other tests keep the shared executor.
    private func play(
        _ arguments: [String], against fake: FakeDiscord, token: String = Sample.token, timeout: Double = 60,
        whileRunning: (@Sendable (ChildProcess) -> Void)? = nil
    ) async throws -> ProcessResult {
        let folder = try scratchFolder()
        let environment = fake.environment.merging(["DISCORD_TOKEN": token]) { _, new in new }
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try ScreamBinary.run(["play"] + arguments, in: folder, environment: environment, timeout: timeout, whileRunning: whileRunning)
                })
            }.start()
        }
    }

    /// Plays a 20 s scream into the party channel and sends `signal` once ten packets arrived;
    /// the result and when the signal went.
    private func playInterrupted(
        by signal: Int32, against fake: FakeDiscord
    ) async throws -> (ProcessResult, ContinuousClock.Instant) {
        let recorder = fake.recorder
        let sent = Moment()
        let result = try await play(
            ["--guild", Sample.guildID, "--channel", Sample.partyChannelID, "--preset", "classic", "--duration", "20s"],
            against: fake
        ) { process in
            let deadline = Date().addingTimeInterval(30)
            while recorder.rtpPackets.count < 10, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            sent.mark()
            kill(process.processIdentifier, signal)
        }
        return (result, try #require(sent.instant))
    }

    /// The number in the `playing ...: N frames` log line.
    private func announcedFrames(in log: String) -> Int? {
        let line = log.split(separator: "\n").first { $0.contains(" playing ") && $0.hasSuffix(" frames") }
        return line.flatMap { Int($0.split(separator: " ").dropLast().last ?? "") }
    }

    /// Position of the first event matching `predicate`.
    private func index(in events: [FakeDiscord.Event], _ predicate: (FakeDiscord.Event) -> Bool) -> Int? {
        events.firstIndex(where: predicate)
    }

    /// Checks one whole call: SPEAKING 1 before the first audio, every packet decrypted in
    /// `mode` with RTP seq +1 and timestamp +960, `frames` audio packets then five silence
    /// frames, and SPEAKING 0 before the op 4 leave.
    ///
    /// SPEAKING and RTP travel on different sockets that the fake reads on different event
    /// loops, so their order of arrival is only loosely checked: the client sends SPEAKING 1
    /// a full 20 ms slot before the first audio, but on a loaded machine the fake may record
    /// it a few packets late, so it must arrive before the fifth; SPEAKING 0 after the last
    /// packet is not ordered against it at all.
    private func expectCleanCall(
        _ recorder: FakeDiscord.Recorder, mode: String, frames: Int, channel: String
    ) async throws {
        try await recorder.waitForClosingSilence(timeout: .seconds(2))
        let events = recorder.events
        let packets = recorder.rtpPackets
        #expect(recorder.decryptFailures.isEmpty)
        #expect(recorder.selectProtocols.map(\.mode) == [mode])
        #expect(recorder.voiceStateUpdates.map(\.channelID) == [channel, nil])
        #expect(recorder.voiceStateUpdates.first?.selfDeaf == true)
        #expect(packets.count == frames + 5)
        #expect(packets.allSatisfy { $0.mode == mode && $0.firstByte == 0x80 && $0.payloadType == 0x78 })
        #expect(Set(packets.map(\.ssrc)) == [FakeDiscord.Options().ssrc])
        for (previous, next) in zip(packets, packets.dropFirst()) {
            #expect(next.sequence == previous.sequence &+ 1)
            #expect(next.timestamp == previous.timestamp &+ 960)
            #expect(next.nonce == previous.nonce &+ 1)
        }
        #expect(packets.suffix(5).allSatisfy { $0.payload == Self.silence })
        #expect(!packets.dropLast(5).contains { $0.payload == Self.silence })
        #expect(recorder.speakingStates.map(\.speaking) == [1, 0])
        let speakingOn = index(in: events) { if case .speaking(let s) = $0 { s.speaking != 0 } else { false } }
        let fifthAudio = events.indices.filter { if case .rtp = events[$0] { true } else { false } }.dropFirst(4).first
        let speakingOff = index(in: events) { if case .speaking(let s) = $0 { s.speaking == 0 } else { false } }
        let leave = index(in: events) { if case .voiceStateUpdate(let r) = $0 { r.channelID == nil } else { false } }
        #expect(speakingOn != nil && fifthAudio != nil && speakingOn! < fifthAudio!)
        #expect(speakingOff != nil && leave != nil && speakingOff! < leave!)
    }

    @Test(arguments: [
        ([FakeDiscord.Mode.aes256GCM, FakeDiscord.Mode.xChaCha20Poly1305], FakeDiscord.Mode.aes256GCM),
        ([FakeDiscord.Mode.xChaCha20Poly1305], FakeDiscord.Mode.xChaCha20Poly1305),
    ])
    func playStreamsEveryFrameEncryptedThenSilenceAndLeaves(offered: [String], expected: String) async throws {
        try await FakeDiscord.withRunning(FakeDiscord.Options(modes: offered)) { fake in
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.partyChannelID, "--preset", "classic", "--duration", "0.5s", "-v"],
                against: fake)
            #expect(result.status == 0)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("gateway connected as scream-bot"))
            #expect(result.stderr.contains("joined voice channel Party"))
            #expect(result.stderr.contains("left voice channel \(Sample.partyChannelID)"))
            let frames = try #require(announcedFrames(in: result.stderr))
            try await expectCleanCall(fake.recorder, mode: expected, frames: frames, channel: Sample.partyChannelID)
            #expect(fake.recorder.identifies.map(\.token) == [Sample.token])
            #expect(fake.recorder.identifies.first.map { $0.intents & (1 | 128) } == 129)
        }
    }

    @Test func playSendsExactlyThePacketsTheDryRunCounts() async throws {
        try await FakeDiscord.withRunning { fake in
            let arguments = ["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID, "--seed", "11", "--duration", "0.4s"]
            let result = try await play(arguments, against: fake)
            #expect(result.status == 0)
            #expect(result.stderr == "seed: 11\n")
            let dryRun = try ScreamBinary.run(["play"] + arguments + ["--dry-run"], in: try scratchFolder())
            try await fake.recorder.waitForClosingSilence(timeout: .seconds(2))
            let audio = fake.recorder.rtpPackets.dropLast(5)
            let bytes = audio.reduce(0) { $0 + $1.payload.count }
            #expect(dryRun.stdoutText.hasPrefix("dry run: seed 11, 0.4s, \(audio.count) frames, \(bytes) bytes, "))
        }
    }

    @Test func tokenWithTheHTTPBotPrefixIsSentBare() async throws {
        try await FakeDiscord.withRunning { fake in
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID, "--preset", "robot", "--duration", "0.2s"],
                against: fake, token: "Bot " + Sample.token)
            #expect(result.status == 0)
            #expect(fake.recorder.identifies.map(\.token) == [Sample.token])
        }
    }

    @Test func withoutAChannelTheBusiestVoiceChannelIsJoined() async throws {
        try await FakeDiscord.withRunning { fake in
            let result = try await play(["--guild", Sample.guildID, "--preset", "whisper", "--duration", "0.3s", "-v"], against: fake)
            #expect(result.status == 0)
            #expect(result.stderr.contains("picked voice channel \(Sample.partyChannelID)"))
            let frames = try #require(announcedFrames(in: result.stderr))
            try await expectCleanCall(fake.recorder, mode: FakeDiscord.Mode.aes256GCM, frames: frames, channel: Sample.partyChannelID)
        }
    }

    @Test(.enabled(if: toolExists("ffmpeg"), "the ffmpeg backend needs ffmpeg on PATH (make setup installs it)"))
    func ffmpegBackendStreamsAsTheNativeOneDoes() async throws {
        try await FakeDiscord.withRunning { fake in
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID, "--preset", "glitch", "--duration", "0.3s",
                 "--backend", "ffmpeg", "-v"], against: fake)
            #expect(result.status == 0)
            let frames = try #require(announcedFrames(in: result.stderr))
            try await expectCleanCall(fake.recorder, mode: FakeDiscord.Mode.aes256GCM, frames: frames, channel: Sample.lobbyChannelID)
        }
    }

    @Test func positionalGuildAndChannelJoinThatChannel() async throws {
        try await FakeDiscord.withRunning { fake in
            let result = try await play([Sample.guildID, Sample.emptyChannelID, "--preset", "robot", "--duration", "0.2s"], against: fake)
            #expect(result.status == 0)
            #expect(fake.recorder.voiceStateUpdates.map(\.channelID) == [Sample.emptyChannelID, nil])
        }
    }

    /// A request Discord turns down, and the sentence and status that must come back.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var token = Sample.token
        var populated = true
        var silentJoin = false
        /// A channel where @everyone is denied Speak.
        var mutedChannel: String?
        /// A voice channel turned into a stage where the bot lacks Mute Members.
        var stage: String?
        var message: String
        var status: Int32

        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "bad token", arguments: ["--guild", Sample.guildID], token: "not-the-token.MTAw.wrong",
            message: "Discord rejected the bot token (HTTP 401); check the token from the Developer Portal.", status: 2),
        Refusal(
            name: "unknown guild", arguments: ["--guild", "200000000000000099"],
            message: "The bot is not in guild 200000000000000099; check the guild id and that the bot was invited to it.",
            status: 2),
        Refusal(
            name: "no populated channel", arguments: ["--guild", Sample.guildID], populated: false,
            message: "No voice channel in guild \(Sample.guildID) has anyone in it; pass --channel to pick one.", status: 1),
        Refusal(
            name: "unknown channel", arguments: ["--guild", Sample.guildID, "--channel", "300000000000000099"],
            message: "Guild \(Sample.guildID) has no channel 300000000000000099; check the channel id.", status: 2),
        Refusal(
            name: "text channel", arguments: ["--guild", Sample.guildID, "--channel", Sample.textChannelID],
            message: "Channel \(Sample.textChannelID) is not a voice channel.", status: 2),
        Refusal(
            name: "join never confirmed", arguments: ["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID, "--timeout", "1s"],
            silentJoin: true,
            message: "Discord did not confirm joining voice channel \(Sample.lobbyChannelID) in guild \(Sample.guildID) within 1 s; "
                + "the bot may lack the Connect or Speak permission, the channel may be full, or the ids may be wrong.",
            status: 1),
        Refusal(
            name: "no Speak permission", arguments: ["--guild", Sample.guildID, "--channel", Sample.partyChannelID],
            mutedChannel: Sample.partyChannelID,
            message: "The bot lacks the Speak permission in voice channel \(Sample.partyChannelID) of guild "
                + "\(Sample.guildID); grant it to one of its roles or pick another channel.",
            status: 2),
        Refusal(
            name: "stage without Mute Members", arguments: ["--guild", Sample.guildID, "--channel", Sample.partyChannelID],
            stage: Sample.partyChannelID,
            message: "Channel \(Sample.partyChannelID) is a stage, where the bot would join as a muted listener; grant it "
                + "Mute Members there so it can make itself a speaker, or pick a voice channel.",
            status: 2),
    ]

    @Test(arguments: refusals)
    func refusedRequestPrintsOneSentenceAndSendsNoAudio(_ refusal: Refusal) async throws {
        var guild = Sample.guild(populated: refusal.populated)
        for index in guild.channels.indices where guild.channels[index].id == refusal.mutedChannel {
            guild.channels[index].overwrites = [.init(id: Sample.guildID, deny: FakeDiscord.Permission.speak)]
        }
        for index in guild.channels.indices where guild.channels[index].id == refusal.stage {
            guild.channels[index].kind = .stageVoice
        }
        let options = FakeDiscord.Options(guilds: [guild], joinResponse: refusal.silentJoin ? .silence : .stateThenServer)
        try await FakeDiscord.withRunning(options) { fake in
            let result = try await play(refusal.arguments + ["--duration", "0.2s"], against: fake, token: refusal.token)
            #expect(result.status == refusal.status)
            #expect(result.stderr == "error: \(refusal.message)\n")
            #expect(result.stdout.isEmpty)
            #expect(fake.recorder.rtpPackets.isEmpty)
            #expect(fake.rest.requests(to: FakeDiscord.RESTRoute.currentUserVoiceState).isEmpty)
        }
    }

    @Test func unreachableGatewayIsARuntimeFailureInOneLine() throws {
        let result = try ScreamBinary.run(
            ["play", "--guild", Sample.guildID, "--timeout", "2s"], in: try scratchFolder(),
            environment: [
                "DISCORD_TOKEN": Sample.token, "SCREAM_GATEWAY_URL": "ws://127.0.0.1:1/",
                "SCREAM_API_URL": "https://127.0.0.1:1/api/v10",
            ])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.last == "error: Could not connect to ws://127.0.0.1:1/ (connection refused).")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("warning") == true)
        #expect(lines.first?.contains("Could not reach Discord for GET /gateway/bot") == true)
        #expect(lines.first?.hasSuffix("Connecting without checking the daily IDENTIFY budget.") == true)
    }

    // MARK: - The IDENTIFY budget

    @Test func aLowIdentifyBudgetRefusesWithOneSentenceAndNeverIdentifies() async throws {
        let limit = FakeDiscord.SessionStartLimit(total: 1000, remaining: 100, resetAfter: 11_520_000)
        try await FakeDiscord.withRunning(FakeDiscord.Options(rest: .init(sessionStartLimit: limit))) { fake in
            let result = try await play(["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID], against: fake)
            #expect(result.status == 2)
            #expect(
                result.stderr
                    == "error: only 100 of the 1000 gateway logins (IDENTIFY) Discord allows this token a day are left until "
                    + "they reset in 3 h 12 min, and play keeps the last 100 for other tools, since running out gets the "
                    + "token reset; for frequent screams, keep scream bot running: it logs in once.\n")
            #expect(fake.rest.requests(to: FakeDiscord.RESTRoute.gatewayBot).count == 1)
            #expect(fake.recorder.identifies.isEmpty)
            #expect(!fake.recorder.events.contains { if case .gatewayConnected = $0 { true } else { false } })
        }
    }

    @Test func aHealthyBudgetIsReadBeforeTheIdentify() async throws {
        let limit = FakeDiscord.SessionStartLimit(total: 1000, remaining: 101, resetAfter: 60_000)
        try await FakeDiscord.withRunning(FakeDiscord.Options(rest: .init(sessionStartLimit: limit))) { fake in
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID, "--preset", "robot", "--duration", "0.2s", "-v"],
                against: fake)
            #expect(result.status == 0)
            #expect(result.stderr.contains("101 of 1000 daily gateway sessions left, resetting in 1 min"))
            let events = fake.recorder.events
            let budget = index(in: events) {
                if case .restRequest(let request) = $0 { request.route == FakeDiscord.RESTRoute.gatewayBot } else { false }
            }
            let identify = index(in: events) { if case .gatewayIdentify = $0 { true } else { false } }
            #expect(budget != nil && identify != nil && budget! < identify!)
            let request = try #require(fake.rest.requests(to: FakeDiscord.RESTRoute.gatewayBot).first)
            #expect(request.status == 200)
            #expect(request.headers["authorization"] == "Bot <token>")
            #expect(request.headers["user-agent"] == "DiscordBot (https://github.com/scream-bot/scream, 0.1.0)")
        }
    }

    @Test func aDryRunAsksDiscordNothing() async throws {
        try await FakeDiscord.withRunning { fake in
            let result = try await play(["--guild", Sample.guildID, "--duration", "0.2s", "--dry-run"], against: fake)
            #expect(result.status == 0)
            #expect(result.stdoutText.hasPrefix("dry run: "))
            #expect(fake.rest.requests.isEmpty)
            #expect(fake.recorder.events.isEmpty)
        }
    }

    @Test func aFailingAPIIsAWarningAndThePlayGoesOn() async throws {
        try await FakeDiscord.withRunning { fake in
            fake.rest.inject(.status(502), count: 10, route: FakeDiscord.RESTRoute.gatewayBot)
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID, "--preset", "robot", "--duration", "0.2s"],
                against: fake)
            #expect(result.status == 0)
            #expect(result.stderr.contains("Discord kept failing GET /gateway/bot with HTTP 502 after 4 attempts."))
            #expect(fake.rest.requests(to: FakeDiscord.RESTRoute.gatewayBot).map(\.status) == [502, 502, 502, 502])
            #expect(fake.recorder.identifies.count == 1)
            try await fake.recorder.waitForClosingSilence(timeout: .seconds(2))
        }
    }

    // MARK: - Stages

    @Test func aStageWithMuteMembersIsJoinedUnsuppressedOverRESTThenPlayed() async throws {
        var guild = Sample.guild()
        for index in guild.channels.indices where guild.channels[index].id == Sample.partyChannelID {
            guild.channels[index].kind = .stageVoice
        }
        guild.roles.append(FakeDiscord.Role(id: "600000000000000001", name: "stage crew", permissions: FakeDiscord.Permission.muteMembers))
        guild.memberRoles[Sample.bot.id] = ["600000000000000001"]
        try await FakeDiscord.withRunning(FakeDiscord.Options(guilds: [guild])) { fake in
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.partyChannelID, "--preset", "classic", "--duration", "0.3s", "-v"],
                against: fake)
            #expect(result.status == 0)
            #expect(result.stderr.contains("speaking on stage \(Sample.partyChannelID)"))
            let frames = try #require(announcedFrames(in: result.stderr))
            try await expectCleanCall(fake.recorder, mode: FakeDiscord.Mode.aes256GCM, frames: frames, channel: Sample.partyChannelID)
            let patches = fake.rest.requests(to: FakeDiscord.RESTRoute.currentUserVoiceState)
            #expect(patches.map(\.status) == [204])
            let body = try JSONSerialization.jsonObject(with: Data((patches.first?.body ?? "").utf8)) as? [String: Any]
            #expect(body?["channel_id"] as? String == Sample.partyChannelID)
            #expect(body?["suppress"] as? Bool == false)
            let events = fake.recorder.events
            let patch = index(in: events) {
                if case .restRequest(let request) = $0 { request.route == FakeDiscord.RESTRoute.currentUserVoiceState } else { false }
            }
            let firstAudio = index(in: events) { if case .rtp = $0 { true } else { false } }
            #expect(patch != nil && firstAudio != nil && patch! < firstAudio!)
        }
    }

    @Test func tokenNeverAppearsInOutputEvenAtDebugLevel() async throws {
        try await FakeDiscord.withRunning { fake in
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID, "--preset", "classic", "--duration", "0.2s",
                 "--log-level", "debug"], against: fake)
            #expect(result.status == 0)
            #expect(result.stderr.contains("token=<redacted>"))
            #expect(result.stderr.contains("\"token\":\"[redacted]\""))
            #expect(result.stderr.contains("\"secret_key\":\"[redacted]\""))
            #expect(!result.stderr.contains(Sample.token) && !result.stdoutText.contains(Sample.token))
            let voiceToken = try #require(fake.recorder.voiceIdentifies.first?.token)
            #expect(!result.stderr.contains(voiceToken))
        }
    }

    @Test(arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")])
    func signalMidPlayStopsTheAudioSendsSilenceAndLeaves(signal: Int32, name: String) async throws {
        try await FakeDiscord.withRunning { fake in
            let recorder = fake.recorder
            let (result, signalled) = try await playInterrupted(by: signal, against: fake)
            let exited = ContinuousClock.now
            #expect(result.status == 128 + signal)
            #expect(result.stderr == "error: interrupted by \(name); the bot left the voice channel.\n")
            try await recorder.waitForClosingSilence(timeout: .seconds(2))
            let packets = recorder.rtpPackets
            #expect(packets.count < 200)
            #expect(recorder.decryptFailures.isEmpty)
            #expect(recorder.speakingStates.map(\.speaking) == [1, 0])
            #expect(recorder.voiceStateUpdates.map(\.channelID) == [Sample.partyChannelID, nil])
            let lastSilence = try #require(packets.last?.arrival)
            // The scream had 19 s left: the audio stopped at the signal, not at its end.
            #expect(lastSilence - signalled < .seconds(2))
            // The process then closes the gateway and exits; on a machine busy with other
            // test processes that teardown alone can take several seconds.
            #expect(exited - signalled < .seconds(15))
        }
    }

    /// Closing the terminal (SIGHUP) or Ctrl-\ (SIGQUIT) stops a play as Ctrl-C does.
    @Test(arguments: [(SIGHUP, "SIGHUP"), (SIGQUIT, "SIGQUIT")])
    func hangupOrQuitMidPlayLeavesTheChannelAndExitsWithTheSignal(signal: Int32, name: String) async throws {
        try await FakeDiscord.withRunning { fake in
            let recorder = fake.recorder
            let (result, signalled) = try await playInterrupted(by: signal, against: fake)
            #expect(ContinuousClock.now - signalled < .seconds(15))
            #expect(result.status == 128 + signal)
            #expect(result.stderr == "error: interrupted by \(name); the bot left the voice channel.\n")
            try await recorder.waitForClosingSilence(timeout: .seconds(2))
            #expect(recorder.speakingStates.map(\.speaking) == [1, 0])
            #expect(recorder.voiceStateUpdates.map(\.channelID) == [Sample.partyChannelID, nil])
        }
    }

    @Test func signalWhileJoiningLeavesAndExitsAt130() async throws {
        try await FakeDiscord.withRunning(FakeDiscord.Options(joinResponse: .silence)) { fake in
            let recorder = fake.recorder
            let sent = Moment()
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.lobbyChannelID, "--timeout", "20s"], against: fake
            ) { process in
                let deadline = Date().addingTimeInterval(20)
                while recorder.voiceStateUpdates.isEmpty, Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.01)
                }
                sent.mark()
                kill(process.processIdentifier, SIGINT)
            }
            // Well inside the 20 s join timeout: the signal, not the timeout, ended the wait.
            let signalled = try #require(sent.instant)
            #expect(ContinuousClock.now - signalled < .seconds(10))
            #expect(result.status == 130)
            #expect(
                result.stderr
                    == "error: interrupted by SIGINT before the bot had joined the voice channel; nothing was played.\n")
            #expect(recorder.voiceStateUpdates.map(\.channelID) == [Sample.lobbyChannelID, nil])
            #expect(recorder.rtpPackets.isEmpty)
        }
    }

    @Test func aVoiceServerChangeMidScreamPlaysEveryFrameAndExitsZero() async throws {
        let options = FakeDiscord.Options(faults: [.init(.voiceServerMove(.closeFirst), at: .afterPackets(15))])
        try await FakeDiscord.withRunning(options) { fake in
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.partyChannelID, "--preset", "classic", "--duration", "1s", "-v"],
                against: fake)
            #expect(result.status == 0, "\(result.stderr)")
            let frames = try #require(announcedFrames(in: result.stderr))
            try await fake.recorder.waitForClosingSilence(timeout: .seconds(2))
            let audio = fake.recorder.rtpPackets.dropLast(5)
            #expect(audio.count == frames && !audio.contains { $0.payload == Self.silence })
            #expect(fake.recorder.voiceIdentifies.filter(\.accepted).count == 2)
            #expect(Set(fake.recorder.rtpPackets.map(\.ssrc)).count == 2)
        }
    }

    @Test(arguments: [FakeDiscord.MoveOrder.gatewayFirst, .closeFirst])
    func aModeratorDisconnectEndsPlayWithOneSentenceAndExitOne(order: FakeDiscord.MoveOrder) async throws {
        let options = FakeDiscord.Options(faults: [.init(.voiceDisconnect(order), at: .afterPackets(10))])
        try await FakeDiscord.withRunning(options) { fake in
            let result = try await play(
                ["--guild", Sample.guildID, "--channel", Sample.partyChannelID, "--preset", "classic", "--duration", "10s"],
                against: fake)
            #expect(result.status == 1)
            #expect(
                result.stderr
                    == "error: The bot was disconnected from voice channel \(Sample.partyChannelID) (by a moderator, or the channel was deleted), so the scream stopped.\n")
            #expect(fake.recorder.voiceIdentifies.count == 1)
        }
    }
}

/// An instant one thread records and another reads.
final class Moment: Sendable {
    private let value = Mutex<ContinuousClock.Instant?>(nil)

    /// Records now.
    func mark() { value.withLock { $0 = .now } }

    /// The recorded instant, if any.
    var instant: ContinuousClock.Instant? { value.withLock { $0 } }
}
