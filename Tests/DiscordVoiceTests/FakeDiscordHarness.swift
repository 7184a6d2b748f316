import DiscordVoice
import FakeDiscord
import Logging
import Testing

/// A FakeDiscord plus a gateway client pointed at it over real TLS sockets.
struct Harness {
    let fake: FakeDiscord
    let gateway: GatewayClient

    static let guild = Snowflake(FakeDiscord.Sample.guildID)!
    static let party = Snowflake(FakeDiscord.Sample.partyChannelID)!
    static let lobby = Snowflake(FakeDiscord.Sample.lobbyChannelID)!

    /// Starts the fake with `options` and a client with `token` (the fake's own by default)
    /// whose waits for READY and for a voice join last `timeout`: 15 s unless given, since a
    /// loaded CI machine can stall every thread of the test process for several seconds.
    static func start(
        _ options: FakeDiscord.Options = FakeDiscord.Options(), token: String = FakeDiscord.Sample.token,
        timeout: Duration = .seconds(15)
    ) async throws -> Harness {
        let fake = try await FakeDiscord.start(options)
        var logger = Logger(label: "test.discord")
        logger.logLevel = .warning
        let configuration = DiscordVoice.Configuration(
            token: token, gatewayURL: fake.gatewayURL, caFile: fake.caFilePath, timeout: timeout, logger: logger)
        do {
            return Harness(fake: fake, gateway: try GatewayClient(configuration: configuration))
        } catch {
            await fake.stop()
            throw error
        }
    }

    /// Connects, runs `body`, then disconnects and stops the fake whatever happened.
    func run<T: Sendable>(_ body: (Harness) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await gateway.disconnect()
            await fake.stop()
            return result
        } catch {
            await gateway.disconnect()
            await fake.stop()
            throw error
        }
    }
}

/// Opus-like packets numbered so each one can be recognised where it lands.
struct TestPackets: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let count: Int
    /// The index before which the source stalls once, if any.
    var stallBefore: Int? = nil
    /// How long that stall lasts.
    var stall: Duration = .zero

    static func packet(_ index: Int) -> [UInt8] {
        [0xFC, UInt8(index >> 8), UInt8(index & 0xFF), 0x55, 0xAA]
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let count: Int
        let stallBefore: Int?
        let stall: Duration
        var index = 0

        mutating func next() async -> [UInt8]? {
            guard index < count else { return nil }
            if index == stallBefore { try? await Task.sleep(for: stall) }
            defer { index += 1 }
            return TestPackets.packet(index)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(count: count, stallBefore: stallBefore, stall: stall) }
}

extension FakeDiscord.Recorder {
    /// Waits for an op 4 leave (channel_id null).
    func waitForLeave(timeout: Duration) async throws {
        try await waitFor("the leave", timeout: timeout) { events in
            events.contains { if case .voiceStateUpdate(let r) = $0 { r.channelID == nil } else { false } }
        }
    }

    /// Waits for a main-gateway RESUME that the fake accepted.
    func waitForAcceptedResume(timeout: Duration) async throws {
        try await waitFor("a resume", timeout: timeout) { events in
            events.contains { if case .gatewayResume(let r) = $0 { r.accepted } else { false } }
        }
    }
}

/// Checks a finished playback of `count` test packets: every frame decrypted, seq +1 and ts +960,
/// SPEAKING on at the start and off at the end, five silence frames, and a leave.
///
/// SPEAKING and RTP travel on different sockets that the fake reads on different event loops,
/// so on a loaded machine neighbours may be recorded in either order: SPEAKING 1 only has to
/// come before the fifth audio packet (as in the CLI tests), and SPEAKING 0 after SPEAKING 1.
func expectCompletePlayback(_ recorder: FakeDiscord.Recorder, count: Int, mode: String) async throws {
    try await recorder.waitForClosingSilence(timeout: .seconds(2))
    let packets = recorder.rtpPackets
    #expect(recorder.decryptFailures.isEmpty)
    #expect(packets.count == count + 5)
    #expect(packets.allSatisfy { $0.mode == mode && $0.firstByte == 0x80 && $0.payloadType == 0x78 })
    for (previous, next) in zip(packets, packets.dropFirst()) {
        #expect(next.sequence == previous.sequence &+ 1)
        #expect(next.timestamp == previous.timestamp &+ 960)
    }
    #expect(packets.prefix(count).map(\.payload) == (0..<count).map(TestPackets.packet))
    #expect(packets.suffix(5).allSatisfy { $0.payload == [0xF8, 0xFF, 0xFE] })
    let events = recorder.events
    let speakingOn = try #require(events.firstIndex { if case .speaking(let s) = $0 { s.speaking == 1 } else { false } })
    let audio = events.indices.filter { if case .rtp = events[$0] { true } else { false } }
    let fifthAudio = try #require(audio.dropFirst(4).first)
    let speakingOff = try #require(events.lastIndex { if case .speaking(let s) = $0 { s.speaking == 0 } else { false } })
    #expect(speakingOn < fifthAudio)
    #expect(speakingOff > speakingOn)
    let updates = recorder.voiceStateUpdates
    #expect(updates.first?.selfDeaf == true)
    #expect(updates.last?.channelID == nil)
}
