/// The coprimes that decorrelate each layer's steps (design §3).
enum Coprime {
    static let primary: Int64 = 137
    static let harmonic: Int64 = 251
    static let shriek: Int64 = 89
    static let noiseBurst: Int64 = 173
}

/// `seeded(seed, step, coprime)` for `step = Int64(t * rate)`, recomputed only when the step changes.
struct SteppedHash: Sendable {
    let rate: Double
    let seed, coprime: Int64
    var step: Int64 = .min
    var value: Double = 0

    init(rate: Double, seed: Int64, coprime: Int64) {
        self.rate = rate
        self.seed = seed
        self.coprime = coprime
    }

    /// Whether time `t` starts a new step; if so, `value` now holds that step's hash.
    mutating func advance(to t: Double) -> Bool {
        let now = Int64(t * rate)
        guard now != step else { return false }
        step = now
        value = ScreamHash.seeded(seed: seed, step: now, coprime: coprime)
        return true
    }
}

/// A tone that jumps to `base + range * hash(step)` every `1/jumpRate` s and rises in level.
struct SweepJumpLayer: Sendable {
    let baseFreq, freqRange, amplitude, rise, sampleRate: Double
    var steps: SteppedHash
    var oscillator: Oscillator
    var frequency: Double = 0
    var increment: Double = 0

    init(_ p: ScreamParams.SweepJump, seed: Int64, coprime: Int64, sampleRate: Int) {
        baseFreq = p.baseFreq
        freqRange = p.freqRange
        amplitude = p.amplitude
        rise = p.rise
        self.sampleRate = Double(sampleRate)
        steps = SteppedHash(rate: p.jumpRate, seed: seed, coprime: coprime)
        oscillator = Oscillator(sampleRate: sampleRate)
    }

    /// The layer's sample at time `t` (seconds); call once per sample, in order.
    mutating func sample(at t: Double) -> Double {
        if steps.advance(to: t) {
            frequency = baseFreq + freqRange * steps.value
            increment = frequency / sampleRate
        }
        return amplitude * (1 + rise * t) * oscillator.sine(increment: increment)
    }
}

/// A tone sweeping up linearly in frequency with seeded jumps added on top.
struct HarmonicSweepLayer: Sendable {
    let baseFreq, sweepRate, freqRange, amplitude: Double
    var steps: SteppedHash
    var oscillator: Oscillator
    var jump: Double = 0

    init(_ p: ScreamParams.HarmonicSweep, seed: Int64, sampleRate: Int) {
        baseFreq = p.baseFreq
        sweepRate = p.sweepRate
        freqRange = p.freqRange
        amplitude = p.amplitude
        steps = SteppedHash(rate: p.jumpRate, seed: seed, coprime: Coprime.harmonic)
        oscillator = Oscillator(sampleRate: sampleRate)
    }

    /// The layer's sample at time `t` (seconds); call once per sample, in order.
    mutating func sample(at t: Double) -> Double {
        if steps.advance(to: t) { jump = freqRange * steps.value }
        return amplitude * oscillator.sine(baseFreq + sweepRate * t + jump)
    }
}

/// White noise gated on and off `burstRate` times a second by the seeded hash.
struct NoiseBurstLayer: Sendable {
    let threshold, amplitude: Double
    var gate: SteppedHash
    var random: SplitMix64

    init(_ n: ScreamParams.Noise, burstSeed: Int64) {
        threshold = n.threshold
        amplitude = n.burstAmp
        gate = SteppedHash(rate: n.burstRate, seed: burstSeed, coprime: Coprime.noiseBurst)
        random = SplitMix64(seed: UInt64(bitPattern: burstSeed))
    }

    /// The layer's sample at time `t` (seconds); the noise generator advances only while open.
    mutating func sample(at t: Double) -> Double {
        _ = gate.advance(to: t)
        return gate.value <= threshold ? 0 : amplitude * (2 * random.nextUnit() - 1)
    }
}

/// A constant white-noise floor.
struct BackgroundNoiseLayer: Sendable {
    let amplitude: Double
    var random: SplitMix64

    init(_ n: ScreamParams.Noise, burstSeed: Int64) {
        amplitude = n.floorAmp
        random = SplitMix64(seed: UInt64(bitPattern: burstSeed) ^ 0x5a5a_5a5a_5a5a_5a5a)
    }

    /// The next noise sample.
    mutating func sample() -> Double {
        amplitude * (2 * random.nextUnit() - 1)
    }
}

/// The five layers, seeded from the params and the global seed, summed and clamped.
struct LayerMix: Sendable {
    var primary: SweepJumpLayer
    var harmonic: HarmonicSweepLayer
    var shriek: SweepJumpLayer
    var burst: NoiseBurstLayer
    var background: BackgroundNoiseLayer

    init(_ p: ScreamParams) {
        let g = p.seed
        let l = p.layers
        let rate = p.sampleRate
        primary = SweepJumpLayer(
            l.primaryScream, seed: l.primaryScream.seed ^ (g &* 1_000_003), coprime: Coprime.primary, sampleRate: rate)
        harmonic = HarmonicSweepLayer(l.harmonicSweep, seed: l.harmonicSweep.seed ^ (g &* 1_000_033), sampleRate: rate)
        shriek = SweepJumpLayer(
            l.highShriek, seed: l.highShriek.seed ^ (g &* 1_000_037), coprime: Coprime.shriek, sampleRate: rate)
        let burstSeed = p.noise.burstSeed ^ (g &* 1_000_081)
        burst = NoiseBurstLayer(p.noise, burstSeed: burstSeed)
        background = BackgroundNoiseLayer(p.noise, burstSeed: burstSeed)
    }

    /// `clamp(sum of the five layers, -1, 1)` at time `t`.
    mutating func sample(at t: Double) -> Double {
        var sum = primary.sample(at: t)
        sum += harmonic.sample(at: t)
        sum += shriek.sample(at: t)
        sum += burst.sample(at: t)
        sum += background.sample()
        return Swift.min(Swift.max(sum, -1), 1)
    }
}
