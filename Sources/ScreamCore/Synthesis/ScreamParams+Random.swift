import Foundation

extension ScreamParams {
    /// A random scream drawn uniformly from the design §3 ranges; `seed` fixes every draw
    /// and becomes the global seed, so the same seed always gives the same scream.
    public static func random(seed: UInt64) -> ScreamParams {
        var draw = Draw(seed: seed)
        let duration = draw.real(2.5, 4.0)
        let primary = SweepJump(
            baseFreq: draw.real(300, 700), freqRange: draw.real(800, 2500), jumpRate: draw.real(5, 15),
            amplitude: draw.real(0.3, 0.5), rise: draw.real(0.5, 2.0), seed: draw.seed())
        let harmonic = HarmonicSweep(
            baseFreq: draw.real(200, 500), sweepRate: draw.real(300, 900), freqRange: draw.real(400, 1200),
            jumpRate: draw.real(3, 10), amplitude: draw.real(0.15, 0.3), seed: draw.seed())
        let shriek = SweepJump(
            baseFreq: draw.real(900, 1800), freqRange: draw.real(800, 2400), jumpRate: draw.real(10, 25),
            amplitude: draw.real(0.15, 0.3), rise: draw.real(1.0, 3.0), seed: draw.seed())
        let burst = NoiseBurst(amplitude: draw.real(0.1, 0.25), seed: draw.seed())
        let background = BackgroundNoise(amplitude: draw.real(0.05, 0.15))
        let noise = Noise(
            burstRate: draw.real(3, 12), threshold: draw.real(0.5, 0.85), burstAmp: draw.real(0.1, 0.25),
            floorAmp: draw.real(0.05, 0.15), burstSeed: draw.seed())
        let filter = Filter(
            highpassCutoff: draw.real(80, 200), lowpassCutoff: draw.real(6000, 12000),
            crusherBits: Int(draw.integer(6, 12)), crusherMix: draw.real(0.3, 0.7),
            compRatio: draw.real(4, 12), volumeBoostDB: draw.real(6, 12))
        return ScreamParams(
            duration: duration, seed: Int64(bitPattern: seed),
            layers: Layers(
                primaryScream: primary, harmonicSweep: harmonic, highShriek: shriek,
                noiseBurst: burst, backgroundNoise: background),
            noise: noise, filter: filter)
    }

    /// These params with the user's volume `v` (0...1) applied: `20·log10(v)` dB more boost,
    /// or, for 0, every layer and noise amplitude set to 0 so the output is pure silence.
    public func applyingVolume(_ v: Double) -> ScreamParams {
        var p = self
        if v == 0 {
            p.layers.primaryScream.amplitude = 0
            p.layers.harmonicSweep.amplitude = 0
            p.layers.highShriek.amplitude = 0
            p.layers.noiseBurst.amplitude = 0
            p.layers.backgroundNoise.amplitude = 0
            p.noise.burstAmp = 0
            p.noise.floorAmp = 0
        } else {
            p.filter.volumeBoostDB += 20 * log10(v)
        }
        return p
    }

    /// These params with `seconds` as the duration when it is positive; otherwise unchanged.
    public func applyingDuration(_ seconds: Double) -> ScreamParams {
        var p = self
        if seconds > 0 { p.duration = seconds }
        return p
    }
}

/// Uniform draws for the randomizer, in a fixed order.
private struct Draw {
    var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func real(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * generator.nextUnit()
    }

    mutating func integer(_ low: Int64, _ high: Int64) -> Int64 {
        low + Int64(generator.nextUnit() * Double(high - low + 1))
    }

    mutating func seed() -> Int64 {
        integer(1, 9999)
    }
}
