import Testing
@testable import ScreamCore

/// Parameter sets drawn across and far beyond every documented range: each one is either
/// refused by `validate()` with a sentence naming a field, or renders without trapping.
@Suite struct ParameterRobustnessTests {
    /// A SplitMix64 stream, so every run draws the same sets and a failure can be replayed.
    struct Draw: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }

        /// Whether this set's values may leave their ranges; about half the sets stay inside.
        var wild = false

        mutating func unit() -> Double { Double(next() >> 11) / 0x1p53 }

        /// Inside `typical` or at its edges; for a wild set, one time in ten far outside it too.
        mutating func value(_ typical: ClosedRange<Double>) -> Double {
            let span = typical.upperBound - typical.lowerBound
            switch next() % (wild ? 20 : 10) {
            case 0: return typical.lowerBound
            case 1: return typical.upperBound
            case 10: return typical.upperBound + span * unit() * 10
            case 11: return typical.lowerBound - span * unit() * 10
            case 12: return [1e308, -1e308, 1e-308, 0, .nan, .infinity, -.infinity, 4.9e-324][Int(next() % 8)]
            default: return typical.lowerBound + span * unit()
            }
        }

        mutating func integer(_ typical: ClosedRange<Int>) -> Int {
            wild && next() % 16 == 0 ? Int(truncatingIfNeeded: next()) >> Int(next() % 64) : Int.random(in: typical, using: &self)
        }
    }

    /// A parameter set whose every field comes from `draw`.
    static func params(_ draw: inout Draw) -> ScreamParams {
        draw.wild = draw.next() % 2 == 0
        var p = ScreamParams.random(seed: draw.next())
        p.duration = draw.value(0.02...1)
        p.sampleRate = [8_000, 16_000, 48_000, 96_000, 0, -1, 44_100, 1_000_000][Int(draw.next() % (draw.wild ? 8 : 4))]
        p.channels = draw.integer(1...2)
        p.seed = Int64(bitPattern: draw.next())
        for path in [\ScreamParams.Layers.primaryScream, \ScreamParams.Layers.highShriek] {
            p.layers[keyPath: path].baseFreq = draw.value(0...5_000)
            p.layers[keyPath: path].freqRange = draw.value(0...5_000)
            p.layers[keyPath: path].jumpRate = draw.value(0...50)
            p.layers[keyPath: path].amplitude = draw.value(0...1)
            p.layers[keyPath: path].rise = draw.value(-5...5)
        }
        p.layers.harmonicSweep.baseFreq = draw.value(0...5_000)
        p.layers.harmonicSweep.sweepRate = draw.value(-2_000...2_000)
        p.layers.harmonicSweep.freqRange = draw.value(0...5_000)
        p.layers.harmonicSweep.jumpRate = draw.value(0...50)
        p.layers.harmonicSweep.amplitude = draw.value(0...1)
        p.noise.burstRate = draw.value(0...50)
        p.noise.threshold = draw.value(0...1)
        p.noise.burstAmp = draw.value(0...1)
        p.noise.floorAmp = draw.value(0...1)
        p.filter.highpassCutoff = draw.value(0...20_000)
        p.filter.lowpassCutoff = draw.value(0...20_000)
        p.filter.crusherBits = draw.integer(1...16)
        p.filter.crusherMix = draw.value(0...1)
        p.filter.compRatio = draw.value(1...20)
        p.filter.compThreshold = draw.value(-60...0)
        p.filter.compAttack = draw.value(0...100)
        p.filter.compRelease = draw.value(0...500)
        p.filter.volumeBoostDB = draw.value(-20...40)
        p.filter.limiterLevel = draw.value(0.01...1)
        return p
    }

    /// Renders `params` in 1024-frame blocks until `limit` frames are done; the samples are
    /// Int16, so finishing is the check.
    static func render(_ params: ScreamParams, limit: Int) -> Int {
        var generator = ScreamGenerator(params: params)
        var block = [Int16](repeating: 0, count: 1_024 * params.channels)
        var total = 0
        block.withUnsafeMutableBufferPointer { buffer in
            while total < limit, case let frames = generator.render(into: buffer), frames > 0 { total += frames }
        }
        return total
    }

    @Test func aThousandWildParameterSetsRenderOrAreRefusedByName() {
        var draw = Draw(state: 20_261_201)
        var rendered = 0, refused = 0
        for _ in 0..<1_000 {
            let params = Self.params(&draw)
            do {
                try params.validate()
            } catch {
                #expect(error.description.hasSuffix("."), "\(error.description)")
                #expect(error.description.contains(" is "), "\(error.description)")
                refused += 1
                continue
            }
            #expect(Self.render(params, limit: 1_024) == min(params.sampleCount, 1_024))
            rendered += 1
        }
        #expect(rendered > 50 && refused > 50, "rendered \(rendered), refused \(refused)")
    }

    @Test(arguments: 0..<2)
    func aMinuteAtTheEdgesOfEveryRangeRendersToTheEnd(corner: Int) throws {
        var draw = Draw(state: UInt64(corner) &* 7_919)
        var p = Preset.classic.params
        p.sampleRate = 8_000
        p.channels = 1
        p.duration = 60
        func edge(_ range: ClosedRange<Double>) -> Double { draw.next() % 2 == 0 ? range.lowerBound : range.upperBound }
        let frequencies = 0.0...4_000, rates = 0.0...8_000
        for path in [\ScreamParams.Layers.primaryScream, \ScreamParams.Layers.highShriek] {
            p.layers[keyPath: path].baseFreq = edge(frequencies)
            p.layers[keyPath: path].freqRange = edge(frequencies)
            p.layers[keyPath: path].jumpRate = edge(rates)
            p.layers[keyPath: path].amplitude = edge(0...1)
            p.layers[keyPath: path].rise = edge(ScreamParams.rises)
        }
        p.layers.harmonicSweep.sweepRate = edge(ScreamParams.sweepRates)
        p.layers.harmonicSweep.baseFreq = edge(frequencies)
        p.layers.harmonicSweep.jumpRate = edge(rates)
        p.noise.burstRate = edge(rates)
        p.noise.threshold = edge(0...1)
        p.filter.highpassCutoff = edge(ScreamParams.cutoffs)
        p.filter.lowpassCutoff = edge(ScreamParams.cutoffs)
        p.filter.compRatio = edge(ScreamParams.compressorRatios)
        p.filter.compThreshold = edge(ScreamParams.compressorThresholds)
        p.filter.compAttack = edge(ScreamParams.compressorTimes)
        p.filter.compRelease = edge(ScreamParams.compressorTimes)
        p.filter.volumeBoostDB = draw.next() % 2 == 0 ? -1_000 : ScreamParams.maximumBoostDB
        try p.validate()
        #expect(Self.render(p, limit: .max) == p.sampleCount)
    }
}
