import Testing

@testable import DiscordVoice

/// The heartbeat interval the voice client takes from the voice gateway's HELLO.
@Suite struct HeartbeatIntervalTests {
    @Test func voiceHelloIntervalIsTakenInMilliseconds() {
        #expect(VoiceConnection.heartbeatInterval(hello: ["heartbeat_interval": .double(13_750.25)]) == .microseconds(13_750_250))
        #expect(VoiceConnection.heartbeatInterval(hello: ["heartbeat_interval": 5_000]) == .seconds(5))
    }

    @Test func voiceHelloIntervalTooLargeForADurationGetsTheDefaultInsteadOfTrapping() {
        #expect(VoiceConnection.heartbeatInterval(hello: ["heartbeat_interval": .double(1e300)]) == .milliseconds(13_750))
        #expect(VoiceConnection.heartbeatInterval(hello: ["heartbeat_interval": .double(3_600_001)]) == .milliseconds(13_750))
    }

    @Test func voiceHelloIntervalThatIsNotPositiveOrMissingGetsTheDefault() {
        #expect(VoiceConnection.heartbeatInterval(hello: ["heartbeat_interval": 0]) == .milliseconds(13_750))
        #expect(VoiceConnection.heartbeatInterval(hello: ["heartbeat_interval": -5]) == .milliseconds(13_750))
        #expect(VoiceConnection.heartbeatInterval(hello: ["heartbeat_interval": "fast"]) == .milliseconds(13_750))
        #expect(VoiceConnection.heartbeatInterval(hello: [:]) == .milliseconds(13_750))
    }
}
