import Testing
@testable import ScreamCore

@Suite struct PresetTests {
    @Test func classicPresetMatchesTheDesignTable() {
        let p = Preset.classic.params
        #expect(p.duration == 3)
        #expect(p.sampleRate == 48_000 && p.channels == 2 && p.seed == 0)
        #expect(p.layers.primaryScream == .init(baseFreq: 500, freqRange: 1500, jumpRate: 10, amplitude: 0.4, rise: 1.2, seed: 4242))
        #expect(p.filter.limiterLevel == 0.95 && p.filter.compThreshold == -20)
        #expect(p.sampleCount == 144_000)
    }
}
