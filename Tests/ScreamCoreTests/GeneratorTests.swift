import Foundation
import Testing
@testable import ScreamCore

@Suite struct GeneratorTests {
    @Test func sameSeedGivesIdenticalSamples() {
        let params = ScreamParams.random(seed: 99).applyingDuration(0.5)
        #expect(EncodingHarness.render(params) == EncodingHarness.render(params))
    }

    @Test func differentGlobalSeedsGiveDifferentSamples() {
        var params = Preset.classic.params.applyingDuration(0.5)
        let unseeded = EncodingHarness.render(params)
        params.seed = 1
        #expect(EncodingHarness.render(params) != unseeded)
        #expect(EncodingHarness.render(.random(seed: 1).applyingDuration(0.5)) != EncodingHarness.render(.random(seed: 2).applyingDuration(0.5)))
    }

    @Test(arguments: [1, 7, 960, 48000])
    func blockSizeDoesNotChangeTheOutput(blockFrames: Int) {
        let params = Preset.glitch.params.applyingDuration(0.3)
        #expect(EncodingHarness.render(params, blockFrames: blockFrames) == EncodingHarness.render(params, blockFrames: 4096))
    }

    @Test func stereoCarriesTheMonoSampleOnBothChannels() {
        var params = Preset.banshee.params.applyingDuration(0.2)
        let stereo = EncodingHarness.render(params)
        params.channels = 1
        let mono = EncodingHarness.render(params)
        #expect(mono.count == 9600 && stereo.count == 19200)
        #expect(mono.indices.allSatisfy { stereo[2 * $0] == mono[$0] && stereo[2 * $0 + 1] == mono[$0] })
    }

    @Test func totalFramesTruncatesDurationTimesRate() {
        // 4.35 * 48000 is 208799.99999999997 in binary floating point.
        #expect(ScreamGenerator(params: Preset.classic.params.applyingDuration(4.35)).totalFrames == 208_799)
        #expect(ScreamGenerator(params: Preset.classic.params.applyingDuration(61.37)).totalFrames == 2_945_760)
        var params = Preset.classic.params.applyingDuration(0.00001)
        params.sampleRate = 48000
        #expect(ScreamGenerator(params: params).totalFrames == 0)
    }

    @Test func renderReturnsZeroAtTheEnd() {
        var generator = ScreamGenerator(params: Preset.whisper.params.applyingDuration(0.01))
        var block = [Int16](repeating: 0, count: 2000)
        #expect(block.withUnsafeMutableBufferPointer { generator.render(into: $0) } == 480)
        #expect(block.withUnsafeMutableBufferPointer { generator.render(into: $0) } == 0)
    }

    @Test func zeroVolumeIsSilenceAndHalfVolumeLowersTheBoost() {
        #expect(EncodingHarness.render(Preset.deathMetal.params.applyingVolume(0).applyingDuration(0.2)).allSatisfy { $0 == 0 })
        let half = Preset.classic.params.applyingVolume(0.5)
        #expect(abs(half.filter.volumeBoostDB - (9 - 6.020599913279624)) < 1e-12)
        #expect(Preset.classic.params.applyingVolume(1) == Preset.classic.params)
    }

    @Test func positiveDurationReplacesAndOtherwiseKeeps() {
        #expect(Preset.classic.params.applyingDuration(1.5).duration == 1.5)
        #expect(Preset.classic.params.applyingDuration(0).duration == 3)
    }
}

@Suite struct RandomParamsTests {
    @Test func sameSeedGivesTheSameParamsAndBecomesTheGlobalSeed() {
        #expect(ScreamParams.random(seed: 42) == ScreamParams.random(seed: 42))
        #expect(ScreamParams.random(seed: 42).seed == 42)
        #expect(ScreamParams.random(seed: .max).seed == -1)
        #expect(ScreamParams.random(seed: 42) != ScreamParams.random(seed: 43))
    }

    @Test(arguments: 0..<50)
    func drawsStayInTheDesignRanges(seed: UInt64) throws {
        let p = ScreamParams.random(seed: seed &* 0x9e37_79b9)
        try p.validate()
        #expect((2.5...4).contains(p.duration) && p.sampleRate == 48000 && p.channels == 2)
        let a = p.layers.primaryScream, h = p.layers.harmonicSweep, s = p.layers.highShriek
        #expect((300...700).contains(a.baseFreq) && (800...2500).contains(a.freqRange) && (5...15).contains(a.jumpRate))
        #expect((0.3...0.5).contains(a.amplitude) && (0.5...2).contains(a.rise) && (1...9999).contains(a.seed))
        #expect((200...500).contains(h.baseFreq) && (300...900).contains(h.sweepRate) && (400...1200).contains(h.freqRange))
        #expect((3...10).contains(h.jumpRate) && (0.15...0.3).contains(h.amplitude) && (1...9999).contains(h.seed))
        #expect((900...1800).contains(s.baseFreq) && (800...2400).contains(s.freqRange) && (10...25).contains(s.jumpRate))
        #expect((0.15...0.3).contains(s.amplitude) && (1...3).contains(s.rise) && (1...9999).contains(s.seed))
        #expect((0.1...0.25).contains(p.layers.noiseBurst.amplitude) && (1...9999).contains(p.layers.noiseBurst.seed))
        #expect((0.05...0.15).contains(p.layers.backgroundNoise.amplitude))
        let n = p.noise
        #expect((3...12).contains(n.burstRate) && (0.5...0.85).contains(n.threshold) && (0.1...0.25).contains(n.burstAmp))
        #expect((0.05...0.15).contains(n.floorAmp) && (1...9999).contains(n.burstSeed))
        let f = p.filter
        #expect((80...200).contains(f.highpassCutoff) && (6000...12000).contains(f.lowpassCutoff))
        #expect((6...12).contains(f.crusherBits) && (0.3...0.7).contains(f.crusherMix) && (4...12).contains(f.compRatio))
        #expect((6...12).contains(f.volumeBoostDB) && f.compThreshold == -20 && f.limiterLevel == 0.95)
    }
}
