import DiscordVoice
import FakeDiscord
import Testing

/// The whole path over real TLS WebSockets and UDP against FakeDiscord.
@Suite(.serialized, .timeLimit(.minutes(1))) struct EndToEndTests {
    @Test func playsWithAES256GCMEveryFrameDecryptingInOrder() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            #expect(await voice.encryptionMode == .aes256GCM)
            let report = try await voice.play(TestPackets(count: 25))
            #expect(report.framesSent == 25 && !report.cancelled)
            try await harness.fake.recorder.waitForLeave(timeout: .seconds(2))
            try await expectCompletePlayback(harness.fake.recorder, count: 25, mode: FakeDiscord.Mode.aes256GCM)
            let identify = try #require(harness.fake.recorder.voiceIdentifies.first)
            #expect(identify.maxDaveProtocolVersion == 1)
            #expect(harness.fake.recorder.identifies.first?.intents == 129)
        }
    }

    @Test func playsWithXChaCha20Poly1305WhenAESIsNotOffered() async throws {
        let harness = try await Harness.start(FakeDiscord.Options(modes: [FakeDiscord.Mode.xChaCha20Poly1305]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.lobby)
            #expect(await voice.encryptionMode == .xchacha20Poly1305)
            _ = try await voice.play(TestPackets(count: 25))
            try await harness.fake.recorder.waitForLeave(timeout: .seconds(2))
            try await expectCompletePlayback(harness.fake.recorder, count: 25, mode: FakeDiscord.Mode.xChaCha20Poly1305)
        }
    }

    @Test func aFiveMebibyteGuildCreateIsReadWhole() async throws {
        var guild = FakeDiscord.Sample.guild()
        // A large guild's GUILD_CREATE runs to megabytes; one long channel name makes the same
        // frame size without making the fake encode thousands of objects.
        guild.channels.append(
            FakeDiscord.Channel(id: "300000000000009999", name: String(repeating: "x", count: 5 << 20), kind: .text))
        // Discord's heartbeat interval is about 41 s; the fake's default of 1 s would count the
        // seconds a debug build spends on 5 MiB of JSON as a zombie connection.
        let options = FakeDiscord.Options(guilds: [guild], heartbeatInterval: .seconds(40))
        let harness = try await Harness.start(options, timeout: .seconds(20))
        try await harness.run { harness in
            try await harness.gateway.connect()
            #expect(try await harness.gateway.busiestVoiceChannel(in: Harness.guild) == Harness.party)
            #expect(harness.fake.recorder.identifies.count == 1 && harness.fake.recorder.resumes.isEmpty)
        }
    }

    @Test func joiningAStageIsRefusedBeforeAnythingIsSent() async throws {
        var guild = FakeDiscord.Sample.guild()
        guild.channels.append(FakeDiscord.Channel(id: "300000000000009998", name: "Stage", kind: .stageVoice))
        let harness = try await Harness.start(FakeDiscord.Options(guilds: [guild]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let stage = Snowflake("300000000000009998")!
            let error = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.joinVoice(guild: Harness.guild, channel: stage)
            }
            #expect(error == .stageChannel(stage))
            #expect(harness.fake.recorder.voiceStateUpdates.isEmpty)
        }
    }

    /// The sample guild with a stage where a role gives the bot `botRoleBits`.
    static func guildWithStage(botRoleBits: UInt64) -> FakeDiscord.Guild {
        var guild = FakeDiscord.Sample.guild()
        guild.channels.append(FakeDiscord.Channel(id: "300000000000009998", name: "Stage", kind: .stageVoice))
        guild.roles.append(FakeDiscord.Role(id: "600000000000000001", name: "stage crew", permissions: botRoleBits))
        guild.memberRoles[FakeDiscord.Sample.bot.id] = ["600000000000000001"]
        return guild
    }

    @Test func aStageWithoutMuteMembersIsRefusedEvenWhenStagesAreAllowed() async throws {
        let harness = try await Harness.start(FakeDiscord.Options(guilds: [Self.guildWithStage(botRoleBits: 0)]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let stage = Snowflake("300000000000009998")!
            let error = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.joinVoice(guild: Harness.guild, channel: stage, allowingStage: true)
            }
            #expect(error == .stageChannel(stage))
            #expect(error?.description.contains("Mute Members") == true)
            #expect(harness.fake.recorder.voiceStateUpdates.isEmpty)
        }
    }

    @Test func aStageIsJoinedSuppressedAndTheSpeakerWaitEndsWithTheUnsuppressedUpdate() async throws {
        let guild = Self.guildWithStage(botRoleBits: FakeDiscord.Permission.muteMembers)
        let harness = try await Harness.start(FakeDiscord.Options(guilds: [guild]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let stage = Snowflake("300000000000009998")!
            let bot = Snowflake(FakeDiscord.Sample.bot.id)!
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: stage, allowingStage: true)
            #expect(try await harness.gateway.guild(Harness.guild).voiceStates[bot]?.suppress == true)
            let session = try #require(try await harness.gateway.guild(Harness.guild).voiceStates[bot]?.sessionID)
            let waiting = Task { try await harness.gateway.waitUntilSpeaker(guild: Harness.guild, channel: stage) }
            #expect(await harness.fake.dispatch(
                "VOICE_STATE_UPDATE",
                data: #"{"guild_id":"\#(FakeDiscord.Sample.guildID)","channel_id":"300000000000009998","#
                    + #""user_id":"\#(bot)","session_id":"\#(session)","suppress":false}"#))
            try await waiting.value
            #expect(try await harness.gateway.guild(Harness.guild).voiceStates[bot]?.suppress == false)
            try await harness.gateway.waitUntilSpeaker(guild: Harness.guild, channel: stage)
            await voice.leave()
        }
    }

    @Test func waitingToSpeakOnAStageTimesOutWithItsSentence() async throws {
        let guild = Self.guildWithStage(botRoleBits: FakeDiscord.Permission.muteMembers)
        let harness = try await Harness.start(FakeDiscord.Options(guilds: [guild]), timeout: .seconds(1))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let stage = Snowflake("300000000000009998")!
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: stage, allowingStage: true)
            let error = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.waitUntilSpeaker(guild: Harness.guild, channel: stage)
            }
            #expect(
                error?.description
                    == "The Discord gateway did not send the VOICE_STATE_UPDATE making the bot a speaker on stage 300000000000009998 within 1 s.")
            await voice.leave()
        }
    }

    @Test func autoPickChoosesTheChannelWithMostHumans() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            #expect(try await harness.gateway.busiestVoiceChannel(in: Harness.guild) == Harness.party)
        }
    }

    @Test func joinCompletesWhenTheServerUpdateComesFirst() async throws {
        let harness = try await Harness.start(FakeDiscord.Options(joinResponse: .serverThenState))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            await voice.leave()
            #expect(harness.fake.recorder.voiceIdentifies.count == 1)
        }
    }

    @Test func badTokenFailsWithTheTokenSentence() async throws {
        let harness = try await Harness.start(token: "wrong-token")
        try await harness.run { harness in
            let error = await #expect(throws: DiscordVoiceError.self) { try await harness.gateway.connect() }
            #expect(error == .gatewayClosed(.authenticationFailed, reason: "Authentication failed."))
            #expect(error?.description.contains("token") == true)
            #expect(error?.description.contains("wrong-token") == false)
        }
    }

    @Test func unknownGuildFailsWithItsSentence() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let error = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.joinVoice(guild: Snowflake(999), channel: Harness.party)
            }
            #expect(error == .unknownGuild(Snowflake(999)))
        }
    }

    @Test func guildWithNobodyInVoiceHasNoChannelToPick() async throws {
        let harness = try await Harness.start(FakeDiscord.Options(guilds: [FakeDiscord.Sample.guild(populated: false)]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let error = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.busiestVoiceChannel(in: Harness.guild)
            }
            #expect(error == .noPopulatedVoiceChannel(guild: Harness.guild))
        }
    }

    @Test func unansweredJoinTimesOutSuggestingCauses() async throws {
        let harness = try await Harness.start(FakeDiscord.Options(joinResponse: .silence), timeout: .seconds(1))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let error = await #expect(throws: DiscordVoiceError.self) {
                try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            }
            #expect(error == .voiceJoinTimeout(guild: Harness.guild, channel: Harness.party, seconds: 1))
            try await harness.fake.recorder.waitForLeave(timeout: .seconds(2))
        }
    }

    @Test func droppedVoiceSocketResumesAndPlaybackCompletes() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceDrop, at: .afterFirstPacket(.seconds(1)))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let report = try await voice.play(TestPackets(count: 75))
            #expect(report.framesSent == 75)
            try await harness.fake.recorder.waitForClosingSilence(timeout: .seconds(2))
            let resumes = harness.fake.recorder.voiceResumes
            #expect(resumes.count == 1 && resumes.first?.accepted == true)
            #expect(harness.fake.recorder.voiceIdentifies.count == 1)
            #expect(harness.fake.recorder.rtpPackets.count == 80)
        }
    }

    @Test func reconnectDuringJoinResumesAndStillJoins() async throws {
        let harness = try await Harness.start(FakeDiscord.Options(faults: [.init(.gatewayReconnect, at: .onVoiceJoin)]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            _ = try await voice.play(TestPackets(count: 5))
            #expect(harness.fake.recorder.resumes.first?.accepted == true)
            #expect(harness.fake.recorder.identifies.count == 1)
        }
    }

    @Test func zombieGatewayIsReplacedByAResumedConnection() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(heartbeatInterval: .milliseconds(200), faults: [.init(.gatewayZombie, at: .afterReady)]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            try await harness.fake.recorder.waitForAcceptedResume(timeout: .seconds(3))
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            await voice.leave()
            #expect(harness.fake.recorder.identifies.count == 1)
        }
    }

    @Test func resumableInvalidSessionResumesInsteadOfIdentifying() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.gatewayInvalidSession(resumable: true), at: .afterReady)]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            try await harness.fake.recorder.waitForAcceptedResume(timeout: .seconds(3))
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            await voice.leave()
            #expect(harness.fake.recorder.identifies.count == 1)
        }
    }

    @Test func nonResumableInvalidSessionIdentifiesAgain() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.gatewayInvalidSession(resumable: false), at: .afterReady)]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            try await harness.fake.recorder.waitFor("a second IDENTIFY", timeout: .seconds(7)) { events in
                events.filter { if case .gatewayIdentify = $0 { true } else { false } }.count == 2
            }
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            await voice.leave()
            #expect(harness.fake.recorder.resumes.isEmpty)
        }
    }

    @Test func secondConcurrentPlayIsRefused() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let first = Task { try await voice.play(TestPackets(count: 15)) }
            try await harness.fake.recorder.waitFor("audio", timeout: .seconds(2)) { $0.contains { if case .rtp = $0 { true } else { false } } }
            let error = await #expect(throws: DiscordVoiceError.self) { try await voice.play(TestPackets(count: 5)) }
            #expect(error == .alreadyPlaying)
            #expect(try await first.value.framesSent == 15)
        }
    }

    @Test func zombieVoiceSocketIsDroppedAndResumed() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(
                voiceHeartbeatInterval: .milliseconds(150), faults: [.init(.voiceZombie, at: .afterSessionDescription)]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let report = try await voice.play(TestPackets(count: 40))
            #expect(report.framesSent == 40)
            #expect(harness.fake.recorder.voiceResumes.first?.accepted == true)
            #expect(harness.fake.recorder.voiceIdentifies.count == 1)
        }
    }

    @Test func cancellationSendsSilenceStopsSpeakingAndLeavesWithinHalfASecond() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let player = Task { try await voice.play(TestPackets(count: 1000)) }
            try await harness.fake.recorder.waitFor("audio", timeout: .seconds(2)) { $0.contains { if case .rtp = $0 { true } else { false } } }
            try await Task.sleep(for: .milliseconds(300))
            let cancelledAt = ContinuousClock.now
            player.cancel()
            let report = try await player.value
            let elapsed = ContinuousClock.now - cancelledAt
            #expect(report.cancelled)
            #expect(elapsed < .milliseconds(500))
            try await harness.fake.recorder.waitForLeave(timeout: .milliseconds(500))
            try await harness.fake.recorder.waitForClosingSilence(timeout: .seconds(2))
            #expect(harness.fake.recorder.speakingStates.last?.speaking == 0)
        }
    }

    @Test func voiceClose4017SaysDAVEIsRequired() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceClose(code: 4017, reason: "E2EE/DAVE protocol required"), at: .onSpeaking)]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let error = await #expect(throws: DiscordVoiceError.self) { try await voice.play(TestPackets(count: 50)) }
            #expect(error?.description.contains("DAVE") == true)
            #expect(harness.fake.recorder.voiceIdentifies.count == 1)
            #expect(harness.fake.recorder.voiceResumes.isEmpty)
        }
    }

    @Test func voiceClose4014EndsPlaybackWithoutReconnecting() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceClose(code: 4014, reason: "Disconnected."), at: .afterPackets(10))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let error = await #expect(throws: DiscordVoiceError.self) { try await voice.play(TestPackets(count: 100)) }
            #expect(error == .voiceClosed(.disconnected, reason: "Disconnected."))
            #expect(harness.fake.recorder.voiceIdentifies.count == 1)
            #expect(harness.fake.recorder.voiceResumes.isEmpty)
        }
    }

    @Test(arguments: [UInt16(4021), 4022])
    func voiceClosesThatEndTheCallAreNotRetried(code: UInt16) async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceClose(code: code, reason: "ended"), at: .afterPackets(5))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let error = await #expect(throws: DiscordVoiceError.self) { try await voice.play(TestPackets(count: 100)) }
            #expect(error == .voiceClosed(VoiceCloseCode(code), reason: "ended"))
            #expect(harness.fake.recorder.voiceIdentifies.count == 1)
            #expect(harness.fake.recorder.voiceResumes.isEmpty)
        }
    }

    @Test func voiceClose4015ResumesAndFinishes() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceClose(code: 4015, reason: "Voice server crashed."), at: .afterPackets(5))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let report = try await voice.play(TestPackets(count: 30))
            #expect(report.framesSent == 30)
            #expect(harness.fake.recorder.voiceResumes.first?.accepted == true)
        }
    }

    @Test func voiceClose4006JoinsAgainOnceAndFinishes() async throws {
        let harness = try await Harness.start(
            FakeDiscord.Options(faults: [.init(.voiceClose(code: 4006, reason: "Session is no longer valid."), at: .afterPackets(10))]))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let report = try await voice.play(TestPackets(count: 60))
            #expect(report.framesSent > 10 && report.framesSent <= 60)
            #expect(harness.fake.recorder.voiceIdentifies.filter(\.accepted).count == 2)
            try await harness.fake.recorder.waitForClosingSilence(timeout: .seconds(2))
        }
    }

    @Test func lostIPDiscoveryRequestsAreRetried() async throws {
        let harness = try await Harness.start(FakeDiscord.Options(ipDiscovery: .init(dropFirst: 2)))
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            await voice.leave()
            let discoveries = harness.fake.recorder.events.compactMap { if case .ipDiscovery(_, let a) = $0 { a } else { nil } }
            #expect(discoveries == [false, false, true])
            #expect(harness.fake.recorder.selectProtocols.first?.address == "127.0.0.1")
        }
    }

    @Test func daveMessagesReachTheSeamAndClientsAreTracked() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            #expect(await harness.fake.sendVoiceJSON(op: 11, data: #"{"user_ids":["400000000000000002"]}"#))
            #expect(await harness.fake.sendVoiceBinary(op: 25, payload: [1, 2, 3]))
            var messages = voice.daveMessages.makeAsyncIterator()
            let message = try #require(await messages.next())
            #expect(message.opcode == .dave(25))
            #expect(message.body == .binary([1, 2, 3]))
            #expect(await voice.connectedUsers.contains(Snowflake(400_000_000_000_000_002)))
            try await voice.sendDAVE(opcode: 26, binary: [9, 8])
            try await harness.fake.recorder.waitFor("op 26", timeout: .seconds(2)) { events in
                events.contains { $0 == .voiceBinary(op: 26, payload: [9, 8]) }
            }
            await voice.leave()
        }
    }

    @Test func voiceResumeAcknowledgesTheLastBinarySequenceNumber() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            #expect(await harness.fake.sendVoiceBinary(op: 27, payload: [0]))
            var messages = voice.daveMessages.makeAsyncIterator()
            let message = try #require(await messages.next())
            await harness.fake.inject(.voiceDrop)
            try await harness.fake.recorder.waitFor("a voice resume", timeout: .seconds(3)) { events in
                events.contains { if case .voiceResume(let r) = $0 { r.accepted } else { false } }
            }
            let resume = try #require(harness.fake.recorder.voiceResumes.first)
            #expect(resume.seqAck.map(Int64.init) == message.sequence)
            #expect(resume.token != FakeDiscord.Sample.token)
            await voice.leave()
        }
    }

    @Test func stalledSourceSkipsScheduleSlotsAndStillDeliversEveryFrame() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            // Longer than the 8 frames (160 ms) the sender keeps queued, so the queue runs dry for 150 ms.
            let stall = Duration.milliseconds(160 + 150)
            let report = try await voice.play(TestPackets(count: 30, stallBefore: 10, stall: stall))
            #expect(report.framesSent == 30)
            #expect(report.skippedSlots >= 3)
            try await harness.fake.recorder.waitForLeave(timeout: .seconds(2))
            try await expectCompletePlayback(harness.fake.recorder, count: 30, mode: FakeDiscord.Mode.aes256GCM)
        }
    }

    /// The 20 ms targets (lateness p99, drift) are measured by `make bench` (Pacing), where a
    /// loaded machine cannot fail a build; here the schedule's shape is checked.
    @Test func pacingNeverRunsAheadOfTheTwentyMillisecondSchedule() async throws {
        let harness = try await Harness.start()
        try await harness.run { harness in
            try await harness.gateway.connect()
            let voice = try await harness.gateway.joinVoice(guild: Harness.guild, channel: Harness.party)
            let started = ContinuousClock.now
            let report = try await voice.play(TestPackets(count: 150))
            let elapsed = ContinuousClock.now - started
            let packets = try await harness.fake.recorder.waitForPackets(150 + report.silenceFrames, timeout: .seconds(5))
            let steps = zip(packets, packets.dropFirst())
            #expect(steps.allSatisfy { $1.sequence == $0.sequence &+ 1 && $1.timestamp == $0.timestamp &+ 960 })
            #expect(elapsed >= .milliseconds(20) * 149)
            print(
                "pacing over 3 s: \(report.skippedSlots) skipped slots; send lateness p50 "
                    + "\(report.lateness.percentile(0.5)), p99 \(report.lateness.percentile(0.99)), max \(report.lateness.maximum)")
        }
    }
}

