import Testing
@testable import DiscordVoice

@Suite struct DiscordVoiceModuleTests {
    @Test func moduleLoads() {
        #expect(String(describing: DiscordVoice.self) == "DiscordVoice")
    }
}
