import Testing

@testable import DiscordVoice

/// Close codes map to the documented recovery and to sentences a user can act on.
@Suite struct CloseCodeTests {
    @Test func gatewayTokenRejectionSaysSo() {
        let error = DiscordVoiceError.gatewayClosed(GatewayCloseCode(4004), reason: "Authentication failed.")
        #expect(error.description.contains("rejected the bot token"))
        #expect(!GatewayCloseCode(4004).allowsReconnect)
    }

    @Test func gatewayIntentClosesNameTheIntents() {
        for code: UInt16 in [4013, 4014] {
            let sentence = DiscordVoiceError.gatewayClosed(GatewayCloseCode(code), reason: "").description
            #expect(sentence.contains("intents"))
            #expect(sentence.contains("\(code)"))
            #expect(!GatewayCloseCode(code).allowsReconnect)
        }
    }

    @Test func gatewayShardingClosesMentionSharding() {
        for code: UInt16 in [4010, 4011] {
            #expect(DiscordVoiceError.gatewayClosed(GatewayCloseCode(code), reason: "").description.contains("sharding"))
        }
    }

    @Test func otherGatewayClosesGiveNumberAndReason() {
        let sentence = DiscordVoiceError.gatewayClosed(GatewayCloseCode(4999), reason: "odd").description
        #expect(sentence.contains("4999"))
        #expect(sentence.contains("odd"))
        #expect(GatewayCloseCode(4000).allowsResume)
        #expect(GatewayCloseCode(4009).allowsReconnect && !GatewayCloseCode(4009).allowsResume)
    }

    @Test func voiceClosesMapToResumeRejoinOrStop() {
        #expect(VoiceCloseCode(4015).recovery == .resume)
        #expect(VoiceCloseCode(4006).recovery == .rejoin)
        #expect(VoiceCloseCode(4009).recovery == .rejoin)
        for code: UInt16 in [4014, 4016, 4017, 4020, 4021, 4022, 4004, 4999] {
            #expect(VoiceCloseCode(code).recovery == .stop)
        }
    }

    @Test func voiceClose4017SaysDAVEIsRequired() {
        let sentence = DiscordVoiceError.voiceClosed(VoiceCloseCode(4017), reason: "").description
        #expect(sentence.contains("DAVE"))
        #expect(sentence.contains("4017"))
    }

    @Test func joinTimeoutSuggestsLikelyCauses() {
        let sentence = DiscordVoiceError.voiceJoinTimeout(guild: Snowflake(1), channel: Snowflake(2), seconds: 10)
            .description
        #expect(sentence.contains("Connect"))
        #expect(sentence.contains("full"))
        #expect(sentence.contains("ids"))
    }

    @Test func wireNumbersRoundTrip() {
        for code: UInt16 in 4000...4022 {
            #expect(GatewayCloseCode(code).code == code)
            #expect(VoiceCloseCode(code).code == code)
        }
    }
}
