import Foundation
import Testing
@testable import ScreamCore

// Expected values below were worked out from the design §3 formulas with an independent
// Python implementation (arbitrary-precision integers masked to 64 bits, C libm math).

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    abs(a - b) <= tolerance
}

@Suite struct HashTests {
    @Test func mix64MatchesFixedValues() {
        #expect(ScreamHash.mix64(0) == 0)
        #expect(ScreamHash.mix64(1) == 0.3381666012719897)
        #expect(ScreamHash.mix64(0xdead_beef) == 0.3047813779963441)
        #expect(ScreamHash.mix64(.max) == 0.7063039534139496)
    }

    @Test func seededWrapsStepTimesCoprime() {
        #expect(ScreamHash.seeded(seed: 4242, step: 3, coprime: 137) == 0.006709577810760092)
        #expect(ScreamHash.seeded(seed: -5, step: .max, coprime: 251) == 0.8318902936314011)
    }

    @Test func splitMix64MatchesItsReferenceFirstOutput() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xe220_a839_7b1d_cdaf)
    }
}

@Suite struct OscillatorTests {
    @Test func sineStartsAtPhaseZeroAndWrapsAtOne() {
        var osc = Oscillator(sampleRate: 48000)
        let out = (0..<5).map { _ in osc.sine(12000) }
        #expect(out[0] == 0 && close(out[1], 1) && close(out[2], 0) && close(out[3], -1) && out[4] == 0)
        #expect(osc.phase == 0.25)
    }

    @Test func sawIsTwoPhaseMinusOne() {
        var osc = Oscillator(sampleRate: 48000)
        #expect((0..<5).map { _ in osc.saw(12000) } == [-1, -0.5, 0, 0.5, -1])
    }
}

@Suite struct LayerTests {
    let classic = Preset.classic.params

    @Test func primaryScreamFollowsTheSweepJumpFormula() {
        var layer = SweepJumpLayer(classic.layers.primaryScream, seed: 4242, coprime: 137, sampleRate: 48000)
        let out = (0..<4).map { layer.sample(at: Double($0) / 48000) }
        let expected = [0.0, 0.10262133774312586, 0.19837852668752864, 0.2808614168945411]
        #expect(zip(out, expected).allSatisfy { close($0, $1) }, "\(out)")
        #expect(layer.frequency == 1982.0356549593807)
    }

    @Test func sweepJumpChangesFrequencyExactlyWhenTheStepChanges() {
        var layer = SweepJumpLayer(classic.layers.primaryScream, seed: 4242, coprime: 137, sampleRate: 48000)
        for i in 0..<4800 { _ = layer.sample(at: Double(i) / 48000) }
        #expect(layer.frequency == 1982.0356549593807)
        _ = layer.sample(at: 4800.0 / 48000)
        #expect(layer.frequency == 890.7036079387424)
    }

    @Test func globalSeedIsMixedIntoEachLayerSeed() {
        var params = classic
        params.seed = 7
        let mix = LayerMix(params)
        #expect(mix.primary.steps.seed == 4242 ^ 7_000_021)
        #expect(mix.harmonic.steps.seed == 3000 ^ 7_000_231)
        #expect(mix.shriek.steps.seed == 7000 ^ 7_000_259)
        #expect(mix.burst.gate.seed == 4000 ^ 7_000_567)
        var primary = mix.primary
        let out = (0..<3).map { primary.sample(at: Double($0) / 48000) }
        #expect(zip(out, [0.0, 0.04164128931634192, 0.08283215596041306]).allSatisfy { close($0, $1) }, "\(out)")
    }

    @Test func zeroGlobalSeedLeavesLayerSeedsUnchanged() {
        let mix = LayerMix(classic)
        #expect(mix.primary.steps.seed == 4242 && mix.shriek.steps.coprime == 89 && mix.burst.gate.coprime == 173)
    }

    @Test func harmonicSweepAddsSweepAndJumpToTheBase() {
        var layer = HarmonicSweepLayer(classic.layers.harmonicSweep, seed: 3000, sampleRate: 48000)
        let out = (0..<4).map { layer.sample(at: Double($0) / 48000) }
        let expected = [0.0, 0.026179660657087073, 0.052071777326762825, 0.07739161037209433]
        #expect(zip(out, expected).allSatisfy { close($0, $1) }, "\(out)")
    }

    @Test func highShriekUsesCoprime89() {
        var layer = SweepJumpLayer(classic.layers.highShriek, seed: 7000, coprime: 89, sampleRate: 48000)
        let out = (0..<3).map { layer.sample(at: Double($0) / 48000) }
        #expect(zip(out, [0.0, 0.06784089285807088, 0.13059792844590792]).allSatisfy { close($0, $1) }, "\(out)")
    }

    @Test func noiseBurstIsSilentWhileTheGateIsAtOrBelowThreshold() {
        // Gates for steps 0, 1, 2: 0.1675, 0.5300, 0.9327 against threshold 0.7.
        var layer = NoiseBurstLayer(classic.noise, burstSeed: 4000)
        let closed = (0..<12000).map { layer.sample(at: Double($0) / 48000) }
        #expect(closed.allSatisfy { $0 == 0 })
        #expect(layer.sample(at: 12000.0 / 48000) == 0.15245912539661824)
        #expect(layer.sample(at: 12001.0 / 48000) == 0.11877675912413115)
    }

    @Test func backgroundNoiseUsesTheSecondGeneratorScaledByFloorAmp() {
        var layer = BackgroundNoiseLayer(classic.noise, burstSeed: 4000)
        #expect(layer.sample() == -0.027263736222565595)
        #expect(layer.sample() == 0.08410521905129933)
    }

    @Test func blockRenderFollowsThePerSampleMixAcrossStepsAndBlockSizes() {
        let params = Preset.glitch.params
        var perSample = LayerMix(params)
        var blocks = LayerMix(params)
        var out = [Double](repeating: 0, count: LayerMix.blockCapacity)
        var scratch = [Double](repeating: 0, count: LayerMix.scratchCount)
        var first = 0
        var worst = 0.0
        for size in [1, 3, 256, 77, 256, 4, 255, 256, 130] + Array(repeating: 256, count: 200) {
            out.withUnsafeMutableBufferPointer { out in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    blocks.render(first: first, count: size, into: out.baseAddress!, scratch: scratch.baseAddress!)
                }
            }
            for k in 0..<size {
                worst = max(worst, abs(out[k] - perSample.sample(at: Double(first + k) / 48000)))
            }
            first += size
        }
        #expect(first > 48000)
        #expect(worst < 1e-11, "worst difference \(worst)")
    }

    @Test func mixIsTheClampedSumOfTheFiveLayers() {
        var params = classic
        params.layers.primaryScream.amplitude = 1
        params.layers.highShriek.amplitude = 1
        params.layers.harmonicSweep.amplitude = 1
        var mix = LayerMix(params)
        let out = (0..<480).map { mix.sample(at: Double($0) / 48000) }
        #expect(out.allSatisfy { (-1...1).contains($0) })
        #expect(out.contains(1) || out.contains(-1))
    }
}

@Suite struct FilterTests {
    @Test func highPassFollowsTheOnePoleFormula() {
        var f = HighPassFilter(cutoff: 120, sampleRate: 48000)
        let out = [0.5, -0.25, 1.0].map { f.process($0) }
        #expect(out == [0.49226748049832647, -0.2537466760351492, 0.9808462274525203])
    }

    @Test func highPassWithZeroCutoffPassesThrough() {
        var f = HighPassFilter(cutoff: 0, sampleRate: 48000)
        #expect([0.5, -0.25, 1.0].map { f.process($0) } == [0.5, -0.25, 1.0])
    }

    @Test func lowPassFollowsTheOnePoleFormula() {
        var f = LowPassFilter(cutoff: 8000, sampleRate: 48000)
        let out = [0.5, -0.25, 1.0].map { f.process($0) }
        #expect(out == [0.2557636781522392, -0.0029482790478048138, 0.510087202643645])
    }

    @Test func bitcrusherFloorsToLevelsAndMixes() {
        let f = Bitcrusher(bits: 8, mix: 0.5)
        #expect([0.3, -0.3, 0.99].map { f.process($0) } == [0.2984375, -0.300390625, 0.989140625])
    }

    @Test func compressorAttacksReleasesAndReducesAboveThreshold() {
        var f = Compressor(thresholdDB: -20, ratio: 8, attackMs: 1, releaseMs: 10, sampleRate: 1000)
        let out = [1.0, -0.5, 0.05, 0.0].map { x in x * f.gain(for: f.follow(x)) }
        let expected = [0.19920492621228028, -0.10136887921045888, 0.010982308139092957, 0.0]
        #expect(zip(out, expected).allSatisfy { close($0, $1, 1e-14) }, "\(out)")
    }

    @Test func chainBoostsThenLimits() {
        var params = Preset.classic.params.filter
        params.highpassCutoff = 0
        params.lowpassCutoff = 1e12
        params.crusherMix = 0
        params.compThreshold = 0
        var chain = FilterChain(params, sampleRate: 48000)
        func process(_ x: Double) -> Double {
            let shaped = chain.shape(x)
            return chain.finish(shaped.sample, envelope: shaped.envelope)
        }
        #expect(chain.boost == pow(10, 9.0 / 20))
        #expect(close(process(0.001), 0.001 * 2.8183829312644537, 1e-9))
        #expect(process(0.5) == 0.95)
    }

    @Test func int16ConversionRoundsHalfAwayFromZeroAndClamps() {
        #expect(ScreamGenerator.pcm16(0.5) == 16384)
        #expect(ScreamGenerator.pcm16(-0.5) == -16384)
        #expect(ScreamGenerator.pcm16(0.25) == 8192)
        #expect(ScreamGenerator.pcm16(1) == 32767 && ScreamGenerator.pcm16(-1) == -32767)
        #expect(ScreamGenerator.pcm16(3) == 32767 && ScreamGenerator.pcm16(-3) == -32768)
        #expect(ScreamGenerator.pcm16(16383.499999 / 32767) == 16383 && ScreamGenerator.pcm16(-1.5 / 32767) == -2)
        #expect(ScreamGenerator.pcm16(.nan) == 0)
    }
}
