/// The coprimes that decorrelate each layer's steps (design §3).
enum Coprime {
    static let primary: Int64 = 137
    static let harmonic: Int64 = 251
    static let shriek: Int64 = 89
    static let noiseBurst: Int64 = 173
}

/// `seeded(seed, step, coprime)` for `step = Int64(t * rate)`, recomputed only when the step changes.
///
/// Rather than truncating `t * rate` every sample, it keeps the first time at which the
/// truncation changes (worked out exactly over doubles when a step begins), so a sample
/// inside a step costs one comparison and the step values are the same as per-sample truncation.
@usableFromInline
struct SteppedHash: Sendable {
    @usableFromInline let rate: Double
    @usableFromInline let seed, coprime: Int64
    @usableFromInline var step: Int64 = .min
    @usableFromInline var value: Double = 0
    /// The smallest time whose step differs from `step`.
    @usableFromInline var nextChange = -Double.infinity

    init(rate: Double, seed: Int64, coprime: Int64) {
        self.rate = rate
        self.seed = seed
        self.coprime = coprime
    }

    /// Whether time `t` starts a new step; if so, `value` now holds that step's hash.
    ///
    /// Times must not decrease from one call to the next.
    @inlinable
    mutating func advance(to t: Double) -> Bool {
        guard t >= nextChange else { return false }
        begin(at: t)
        return true
    }

    @usableFromInline
    mutating func begin(at t: Double) {
        step = Int64(t * rate)
        value = ScreamHash.seeded(seed: seed, step: step, coprime: coprime)
        nextChange = Self.firstTime(after: step, rate: rate)
    }

    /// The smallest double `t >= 0` with `Int64(t * rate)` past `step` in the direction time
    /// moves it (infinity for a rate of 0).
    ///
    /// `Int64(t * rate)` is monotonic in `t`, so the quotient is a guess that a few
    /// one-ulp moves make exact.
    static func firstTime(after step: Int64, rate: Double) -> Double {
        guard rate != 0 else { return .infinity }
        let target = rate > 0 ? step + 1 : step - 1
        func reached(_ t: Double) -> Bool {
            let s = Int64(t * rate)
            return rate > 0 ? s >= target : s <= target
        }
        var t = Double(target) / rate
        guard t.isFinite else { return .infinity }
        while !reached(t) { t = t.nextUp }
        while t > 0 && reached(t.nextDown) { t = t.nextDown }
        return t
    }
}

/// One sample's worth of a tonal layer: how far its oscillator advances and how loud it is.
public struct Tone: Sendable {
    /// The oscillator's phase step in cycles (frequency / sample rate).
    public var increment: Double
    /// The factor the sine is multiplied by.
    public var level: Double

    /// A tone step of `increment` cycles at `level`.
    @inlinable
    public init(increment: Double, level: Double) {
        self.increment = increment
        self.level = level
    }
}

/// A tone that jumps to `base + range * hash(step)` every `1/jumpRate` s and rises in level
/// (the primary scream and the high shriek).
public struct SweepJumpLayer: Sendable {
    @usableFromInline let baseFreq, freqRange, amplitude, rise, sampleRate: Double
    @usableFromInline var steps: SteppedHash
    @usableFromInline var oscillator: Oscillator
    /// The frequency of the current step in Hz.
    public private(set) var frequency: Double = 0
    @usableFromInline var increment: Double = 0

    /// A layer for `p` whose jumps hash `seed` (already mixed with the global seed) with `coprime`.
    public init(_ p: ScreamParams.SweepJump, seed: Int64, coprime: Int64, sampleRate: Int) {
        baseFreq = p.baseFreq
        freqRange = p.freqRange
        amplitude = p.amplitude
        rise = p.rise
        self.sampleRate = Double(sampleRate)
        steps = SteppedHash(rate: p.jumpRate, seed: seed, coprime: coprime)
        oscillator = Oscillator(sampleRate: sampleRate)
    }

    /// The layer's sample at time `t` (seconds); call once per sample, in order.
    @inlinable
    public mutating func sample(at t: Double) -> Double {
        let tone = tone(at: t)
        return tone.level * oscillator.sine(increment: tone.increment)
    }

    /// The phase increment (cycles per sample) and level of the tone at time `t`, for a
    /// caller that runs the oscillator itself; call once per sample, in order.
    @inlinable
    public mutating func tone(at t: Double) -> Tone {
        if steps.advance(to: t) { jump(to: steps.value) }
        return Tone(increment: increment, level: amplitude * (1 + rise * t))
    }

    /// Moves to the frequency of a step whose hash is `value`.
    @usableFromInline
    mutating func jump(to value: Double) {
        frequency = baseFreq + freqRange * value
        increment = frequency / sampleRate
    }
}

/// A tone sweeping up linearly in frequency with seeded jumps added on top.
public struct HarmonicSweepLayer: Sendable {
    @usableFromInline let baseFreq, sweepRate, freqRange, amplitude, sampleRate: Double
    @usableFromInline var steps: SteppedHash
    @usableFromInline var oscillator: Oscillator
    @usableFromInline var jump: Double = 0

    /// A layer for `p` whose jumps hash `seed` (already mixed with the global seed).
    public init(_ p: ScreamParams.HarmonicSweep, seed: Int64, sampleRate: Int) {
        baseFreq = p.baseFreq
        sweepRate = p.sweepRate
        freqRange = p.freqRange
        amplitude = p.amplitude
        self.sampleRate = Double(sampleRate)
        steps = SteppedHash(rate: p.jumpRate, seed: seed, coprime: Coprime.harmonic)
        oscillator = Oscillator(sampleRate: sampleRate)
    }

    /// The layer's sample at time `t` (seconds); call once per sample, in order.
    @inlinable
    public mutating func sample(at t: Double) -> Double {
        let tone = tone(at: t)
        return tone.level * oscillator.sine(increment: tone.increment)
    }

    /// The phase increment (cycles per sample) and level of the tone at time `t`, for a
    /// caller that runs the oscillator itself; call once per sample, in order.
    @inlinable
    public mutating func tone(at t: Double) -> Tone {
        if steps.advance(to: t) { jump = freqRange * steps.value }
        return Tone(increment: (baseFreq + sweepRate * t + jump) / sampleRate, level: amplitude)
    }
}

/// White noise gated on and off `burstRate` times a second by the seeded hash.
public struct NoiseBurstLayer: Sendable {
    @usableFromInline let threshold, amplitude: Double
    @usableFromInline var gate: SteppedHash
    @usableFromInline var random: SplitMix64

    /// The burst layer for `n`, gated by `burstSeed` (already mixed with the global seed).
    public init(_ n: ScreamParams.Noise, burstSeed: Int64) {
        threshold = n.threshold
        amplitude = n.burstAmp
        gate = SteppedHash(rate: n.burstRate, seed: burstSeed, coprime: Coprime.noiseBurst)
        random = SplitMix64(seed: UInt64(bitPattern: burstSeed))
    }

    /// The layer's sample at time `t` (seconds); the noise generator advances only while open.
    @inlinable
    public mutating func sample(at t: Double) -> Double {
        _ = gate.advance(to: t)
        return gate.value <= threshold ? 0 : amplitude * (2 * random.nextUnit() - 1)
    }
}

/// A constant white-noise floor.
public struct BackgroundNoiseLayer: Sendable {
    @usableFromInline let amplitude: Double
    @usableFromInline var random: SplitMix64

    /// The floor for `n`, its generator seeded from `burstSeed ^ 0x5a5a5a5a5a5a5a5a`.
    public init(_ n: ScreamParams.Noise, burstSeed: Int64) {
        amplitude = n.floorAmp
        random = SplitMix64(seed: UInt64(bitPattern: burstSeed) ^ 0x5a5a_5a5a_5a5a_5a5a)
    }

    /// The next noise sample.
    @inlinable
    public mutating func sample() -> Double {
        amplitude * (2 * random.nextUnit() - 1)
    }
}

/// The five layers, seeded from the params and the global seed, summed and clamped.
///
/// The three tones run their oscillators together, one lane each of a vector, so one
/// polynomial evaluation serves all three; each lane computes what the layer would alone.
public struct LayerMix: Sendable {
    @usableFromInline var primary: SweepJumpLayer
    @usableFromInline var harmonic: HarmonicSweepLayer
    @usableFromInline var shriek: SweepJumpLayer
    @usableFromInline var burst: NoiseBurstLayer
    @usableFromInline var background: BackgroundNoiseLayer
    /// The phases of the primary, harmonic and shriek oscillators (the fourth lane idles).
    @usableFromInline var phases = SIMD4<Double>.zero
    /// Samples per second.
    @usableFromInline let rate: Double

    /// The layers of `p`, each seed mixed with the global seed.
    public init(_ p: ScreamParams) {
        let g = p.seed
        let l = p.layers
        let rate = p.sampleRate
        self.rate = Double(rate)
        primary = SweepJumpLayer(
            l.primaryScream, seed: l.primaryScream.seed ^ (g &* 1_000_003), coprime: Coprime.primary, sampleRate: rate)
        harmonic = HarmonicSweepLayer(l.harmonicSweep, seed: l.harmonicSweep.seed ^ (g &* 1_000_033), sampleRate: rate)
        shriek = SweepJumpLayer(
            l.highShriek, seed: l.highShriek.seed ^ (g &* 1_000_037), coprime: Coprime.shriek, sampleRate: rate)
        let burstSeed = p.noise.burstSeed ^ (g &* 1_000_081)
        burst = NoiseBurstLayer(p.noise, burstSeed: burstSeed)
        background = BackgroundNoiseLayer(p.noise, burstSeed: burstSeed)
    }

    /// `clamp(sum of the five layers, -1, 1)` at time `t`; call once per sample, in order.
    @inlinable
    public mutating func sample(at t: Double) -> Double {
        let tones = (primary.tone(at: t), harmonic.tone(at: t), shriek.tone(at: t))
        let sines = FastMath.sinCycles(phases)
        phases += SIMD4(tones.0.increment, tones.1.increment, tones.2.increment, 0)
        phases.replace(with: phases - 1, where: phases .>= 1)
        var sum = tones.0.level * sines[0]
        sum += tones.1.level * sines[1]
        sum += tones.2.level * sines[2]
        sum += burst.sample(at: t)
        sum += background.sample()
        return Swift.min(Swift.max(sum, -1), 1)
    }
}
