import Foundation

/// One-pole high-pass: `out = a * (prevOut + x - prevIn)`, `a = RC / (RC + dt)`.
@usableFromInline
struct HighPassFilter: Sendable {
    @usableFromInline let a: Double
    @usableFromInline var previousIn: Double = 0
    @usableFromInline var previousOut: Double = 0

    init(cutoff: Double, sampleRate: Int) {
        let dt = 1 / Double(sampleRate)
        let rc = 1 / (2 * Double.pi * cutoff)
        // A zero cutoff makes RC infinite; the limit of RC / (RC + dt) is 1 (pass-through).
        a = rc.isInfinite ? 1 : rc / (rc + dt)
    }

    /// Evaluated as `a * prevOut + a * (x - prevIn)`, so only one multiply and one add
    /// stand between one output and the next.
    @inlinable
    mutating func process(_ x: Double) -> Double {
        let out = a * previousOut + a * (x - previousIn)
        previousIn = x
        previousOut = out
        return out
    }
}

/// One-pole low-pass: `y += a * (x - y)`, `a = dt / (RC + dt)`.
@usableFromInline
struct LowPassFilter: Sendable {
    @usableFromInline let a: Double
    /// `1 - a`, the share of the previous output that stays.
    @usableFromInline let keep: Double
    @usableFromInline var y: Double = 0

    init(cutoff: Double, sampleRate: Int) {
        let dt = 1 / Double(sampleRate)
        let rc = 1 / (2 * Double.pi * cutoff)
        a = dt / (rc + dt)
        keep = 1 - a
    }

    /// Evaluated as `(1 - a) * y + a * x`, so only one multiply and one add stand between
    /// one output and the next.
    @inlinable
    mutating func process(_ x: Double) -> Double {
        y = keep * y + a * x
        return y
    }
}

/// Quantises to `2^bits` levels per unit and blends with the dry signal.
///
/// Dividing by a power of two is exact, so it multiplies by `2^-bits` instead.
@usableFromInline
struct Bitcrusher: Sendable {
    @usableFromInline let levels, step: Double
    @usableFromInline let mix, dry: Double

    init(bits: Int, mix: Double) {
        levels = Double(sign: .plus, exponent: bits, significand: 1)
        step = Double(sign: .plus, exponent: -bits, significand: 1)
        self.mix = mix
        dry = 1 - mix
    }

    @inlinable
    func process(_ x: Double) -> Double {
        let crushed = FastMath.floor(x * levels) * step
        return mix * crushed + dry * x
    }
}

/// Envelope-following compressor: above the threshold, gain is `(env/thr)^(1/ratio - 1)`.
///
/// The envelope moves by well under a percent per sample, so the gain is computed exactly
/// (`exp` and `log`) at an anchor envelope and, while the envelope stays within `reach` of
/// it, by the cubic Taylor expansion of `(env/anchor)^exponent` around it. `reach` keeps
/// the first omitted term below 1e-9 of the gain (a few hundred-thousandths of an LSB).
@usableFromInline
struct Compressor: Sendable {
    @usableFromInline let threshold: Double
    @usableFromInline let attack, attackTake: Double
    @usableFromInline let release, releaseTake: Double
    /// 1 when the attack is at least as fast as the release, else -1.
    @usableFromInline let orientation: Double
    @usableFromInline let exponent: Double
    /// Taylor coefficients of `(1 + u)^exponent` after the constant term.
    @usableFromInline let c1, c2, c3: Double
    /// How far `env/anchor - 1` may stray before the gain is recomputed exactly.
    @usableFromInline let reach: Double
    /// The envelope times `orientation`.
    @usableFromInline var oriented: Double = 0
    /// `1 / anchor` (0 until the first exact gain, which forces one).
    @usableFromInline var inverseAnchor: Double = 0
    /// The exact gain at the anchor envelope.
    @usableFromInline var anchorGain: Double = 1

    init(thresholdDB: Double, ratio: Double, attackMs: Double, releaseMs: Double, sampleRate: Int) {
        let sr = Double(sampleRate)
        threshold = pow(10, thresholdDB / 20)
        attack = exp(-1 / (attackMs / 1000 * sr))
        release = exp(-1 / (releaseMs / 1000 * sr))
        orientation = attack <= release ? 1 : -1
        attackTake = orientation * (1 - attack)
        releaseTake = orientation * (1 - release)
        let e = 1 / ratio - 1
        exponent = e
        c1 = e
        c2 = e * (e - 1) / 2
        c3 = e * (e - 1) * (e - 2) / 6
        let c4 = abs(c3 * (e - 3) / 4)
        reach = Swift.min(1.0 / 64, pow(1e-9 / c4, 0.25))
    }

    /// Updates the envelope with `x` and returns it.
    ///
    /// Both updates move the envelope toward `|x|`; when the attack is the faster, its
    /// result is the larger exactly when `|x|` is above the envelope, so the update is the
    /// larger of the two, and when it is the slower, the smaller. Kept with `orientation`'s
    /// sign (negated for a slower attack), the update is always the larger: no comparison
    /// of `|x|` with the envelope, and no branch, on the chain from one envelope to the next.
    @inlinable
    mutating func follow(_ x: Double) -> Double {
        let level = abs(x)
        let attacked = attack * oriented + attackTake * level
        let released = release * oriented + releaseTake * level
        // Written as the comparison the CPU's maximum instruction makes.
        oriented = attacked > released ? attacked : released
        return orientation * oriented
    }

    /// The gain for an envelope value: `(env/thr)^(1/ratio - 1)` above the threshold, else 1.
    @inlinable
    mutating func gain(for envelope: Double) -> Double {
        guard envelope > threshold else { return 1 }
        let u = envelope * inverseAnchor - 1
        guard abs(u) <= reach else { return anchor(at: envelope) }
        return anchorGain * (1 + u * (c1 + u * (c2 + u * c3)))
    }

    /// Computes the gain exactly at `envelope` and makes it the new anchor.
    @usableFromInline
    mutating func anchor(at envelope: Double) -> Double {
        inverseAnchor = 1 / envelope
        anchorGain = exp(exponent * log(envelope / threshold))
        return anchorGain
    }
}

/// The six stages of design §3 in order: high-pass, low-pass, bitcrusher, compressor,
/// volume boost, limiter.
public struct FilterChain: Sendable {
    @usableFromInline var highPass: HighPassFilter
    @usableFromInline var lowPass: LowPassFilter
    @usableFromInline let crusher: Bitcrusher
    @usableFromInline var compressor: Compressor
    @usableFromInline let boost: Double
    @usableFromInline let limit: Double

    /// The chain for `f` at `sampleRate`, all state at rest.
    public init(_ f: ScreamParams.Filter, sampleRate: Int) {
        highPass = HighPassFilter(cutoff: f.highpassCutoff, sampleRate: sampleRate)
        lowPass = LowPassFilter(cutoff: f.lowpassCutoff, sampleRate: sampleRate)
        crusher = Bitcrusher(bits: f.crusherBits, mix: f.crusherMix)
        compressor = Compressor(
            thresholdDB: f.compThreshold, ratio: f.compRatio, attackMs: f.compAttack,
            releaseMs: f.compRelease, sampleRate: sampleRate)
        boost = pow(10, f.volumeBoostDB / 20)
        limit = f.limiterLevel
    }

    /// Runs one sample through all six stages.
    @inlinable
    public mutating func process(_ x: Double) -> Double {
        let shaped = shape(x)
        return finish(shaped.sample, envelope: shaped.envelope)
    }

    /// Stages 1–3 and the compressor's envelope: returns the crushed sample and the envelope.
    @inlinable
    public mutating func shape(_ x: Double) -> (sample: Double, envelope: Double) {
        var y = highPass.process(x)
        y = lowPass.process(y)
        y = crusher.process(y)
        return (y, compressor.follow(y))
    }

    /// `shape` over a block in place: `block` ends up holding the crushed samples and
    /// `envelopes` the envelope after each.
    ///
    /// One pass, its state in registers: the high-pass, low-pass and envelope recurrences
    /// are three short chains the CPU runs side by side.
    @inlinable
    public mutating func shape(_ block: UnsafeMutablePointer<Double>, envelopes: UnsafeMutablePointer<Double>, count: Int) {
        var highPass = self.highPass, lowPass = self.lowPass, compressor = self.compressor
        let crusher = self.crusher
        for k in 0..<count {
            let y = crusher.process(lowPass.process(highPass.process(block[k])))
            block[k] = y
            envelopes[k] = compressor.follow(y)
        }
        self.highPass = highPass
        self.lowPass = lowPass
        self.compressor = compressor
    }

    /// `finish` over a block shaped by `shape(_:envelopes:count:)`, in place.
    ///
    /// Four samples at a time whenever all four are below the threshold, or all four are
    /// above it and near enough the compressor's anchor for its expansion: each lane then
    /// computes what `finish(_:envelope:)` would, and the anchor stays put. Anything else
    /// goes through `finish(_:envelope:)` one sample at a time.
    @inlinable
    public mutating func finish(_ block: UnsafeMutablePointer<Double>, envelopes: UnsafePointer<Double>, count: Int) {
        let samples = UnsafeMutableRawPointer(block), levels = UnsafeRawPointer(envelopes)
        let threshold = compressor.threshold, reach = compressor.reach
        let c1 = compressor.c1, c2 = compressor.c2, c3 = compressor.c3
        var k = 0
        while k + 4 <= count {
            let envelope = levels.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self)
            let y = samples.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self)
            let u = envelope * compressor.inverseAnchor - 1
            let gain: SIMD4<Double>
            if all(envelope .<= threshold) {
                gain = SIMD4(repeating: 1)
            } else if all(envelope .> threshold) && all(FastMath.magnitude(u) .<= reach) {
                gain = compressor.anchorGain * (1 + u * (c1 + u * (c2 + u * c3)))
            } else {
                for j in k..<(k + 4) { block[j] = finish(block[j], envelope: envelopes[j]) }
                k += 4
                continue
            }
            var out = y * gain * boost
            out.replace(with: -limit, where: out .< -limit)
            out.replace(with: limit, where: out .> limit)
            samples.storeBytes(of: out, toByteOffset: 8 * k, as: SIMD4<Double>.self)
            k += 4
        }
        for j in k..<count { block[j] = finish(block[j], envelope: envelopes[j]) }
    }

    /// Stages 4–6 for a shaped sample: compressor gain, boost, limiter.
    ///
    /// Envelopes must arrive in the order `shape` produced them, so a block can be shaped
    /// first and finished afterwards.
    @inlinable
    public mutating func finish(_ y: Double, envelope: Double) -> Double {
        let out = y * compressor.gain(for: envelope) * boost
        return Swift.min(Swift.max(out, -limit), limit)
    }
}
