import Foundation

/// One-pole high-pass: `out = a * (prevOut + x - prevIn)`, `a = RC / (RC + dt)`.
struct HighPassFilter: Sendable {
    let a: Double
    var previousIn: Double = 0
    var previousOut: Double = 0

    init(cutoff: Double, sampleRate: Int) {
        let dt = 1 / Double(sampleRate)
        let rc = 1 / (2 * Double.pi * cutoff)
        // A zero cutoff makes RC infinite; the limit of RC / (RC + dt) is 1 (pass-through).
        a = rc.isInfinite ? 1 : rc / (rc + dt)
    }

    mutating func process(_ x: Double) -> Double {
        let out = a * (previousOut + x - previousIn)
        previousIn = x
        previousOut = out
        return out
    }
}

/// One-pole low-pass: `y += a * (x - y)`, `a = dt / (RC + dt)`.
struct LowPassFilter: Sendable {
    let a: Double
    var y: Double = 0

    init(cutoff: Double, sampleRate: Int) {
        let dt = 1 / Double(sampleRate)
        let rc = 1 / (2 * Double.pi * cutoff)
        a = dt / (rc + dt)
    }

    mutating func process(_ x: Double) -> Double {
        y = y + a * (x - y)
        return y
    }
}

/// Quantises to `2^bits` levels per unit and blends with the dry signal.
struct Bitcrusher: Sendable {
    let levels: Double
    let mix: Double

    init(bits: Int, mix: Double) {
        levels = Double(sign: .plus, exponent: bits, significand: 1)
        self.mix = mix
    }

    func process(_ x: Double) -> Double {
        let crushed = FastMath.floor(x * levels) / levels
        return mix * crushed + (1 - mix) * x
    }
}

/// Envelope-following compressor: above the threshold, gain is `(env/thr)^(1/ratio - 1)`.
struct Compressor: Sendable {
    let threshold: Double
    let attack: Double
    let release: Double
    let exponent: Double
    var envelope: Double = 0

    init(thresholdDB: Double, ratio: Double, attackMs: Double, releaseMs: Double, sampleRate: Int) {
        let sr = Double(sampleRate)
        threshold = pow(10, thresholdDB / 20)
        attack = exp(-1 / (attackMs / 1000 * sr))
        release = exp(-1 / (releaseMs / 1000 * sr))
        exponent = 1 / ratio - 1
    }

    /// Updates the envelope with `x` and returns it.
    mutating func follow(_ x: Double) -> Double {
        let level = abs(x)
        if level > envelope {
            envelope = attack * envelope + (1 - attack) * level
        } else {
            envelope = release * envelope + (1 - release) * level
        }
        return envelope
    }

    /// The gain for an envelope value: `(env/thr)^(1/ratio - 1)` above the threshold, else 1.
    func gain(for envelope: Double) -> Double {
        envelope > threshold ? exp(exponent * log(envelope / threshold)) : 1
    }
}

/// The six stages in order: high-pass, low-pass, bitcrusher, compressor, boost, limiter.
struct FilterChain: Sendable {
    var highPass: HighPassFilter
    var lowPass: LowPassFilter
    let crusher: Bitcrusher
    var compressor: Compressor
    let boost: Double
    let limit: Double

    init(_ f: ScreamParams.Filter, sampleRate: Int) {
        highPass = HighPassFilter(cutoff: f.highpassCutoff, sampleRate: sampleRate)
        lowPass = LowPassFilter(cutoff: f.lowpassCutoff, sampleRate: sampleRate)
        crusher = Bitcrusher(bits: f.crusherBits, mix: f.crusherMix)
        compressor = Compressor(
            thresholdDB: f.compThreshold, ratio: f.compRatio, attackMs: f.compAttack,
            releaseMs: f.compRelease, sampleRate: sampleRate)
        boost = pow(10, f.volumeBoostDB / 20)
        limit = f.limiterLevel
    }

    /// Stages 1–3 and the compressor's envelope: returns the crushed sample and the envelope.
    mutating func shape(_ x: Double) -> (sample: Double, envelope: Double) {
        var y = highPass.process(x)
        y = lowPass.process(y)
        y = crusher.process(y)
        return (y, compressor.follow(y))
    }

    /// Stages 4–6 for a shaped sample: compressor gain, boost, limiter. Stateless, so a
    /// block can be shaped first and finished afterwards.
    func finish(_ y: Double, envelope: Double) -> Double {
        let out = y * compressor.gain(for: envelope) * boost
        return Swift.min(Swift.max(out, -limit), limit)
    }
}
