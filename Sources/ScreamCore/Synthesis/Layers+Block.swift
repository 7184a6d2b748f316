/// Block rendering: the same layers, a run of consecutive samples at a time.
///
/// Within a step a tone's phase is its phase at the step's first sample plus a closed
/// form in the sample offset, and every noise draw is a function of its own index, so the
/// per-sample work has no chain from one sample to the next and runs in vector lanes.
/// Steps still change on exactly the samples where the per-sample path changes them.

extension SteppedHash {
    /// The first sample after `index` whose time `Double(j) / sampleRate` reaches
    /// `nextChange` (`Int.max` if none does), for a hash already advanced to `index`.
    @inlinable
    func firstSample(after index: Int, sampleRate: Double) -> Int {
        let estimate = nextChange * sampleRate
        guard estimate < 0x1p62 else { return .max }
        var j = Swift.max(index + 1, Int(Swift.max(estimate, 0)))
        while Double(j) / sampleRate < nextChange { j += 1 }
        while j - 1 > index && Double(j - 1) / sampleRate >= nextChange { j -= 1 }
        return j
    }

    /// Splits samples `first..<first + count` into runs of one step each and calls `body`
    /// with each run's offset from `first` and length, whether the run begins a new step,
    /// and the step's hash.
    @inlinable
    mutating func forEachStep(
        first: Int, count: Int, sampleRate: Double,
        _ body: (_ offset: Int, _ length: Int, _ changed: Bool, _ value: Double) -> Void
    ) {
        var k = 0
        while k < count {
            let i = first + k
            let changed = advance(to: Double(i) / sampleRate)
            let end = Swift.min(first + count, firstSample(after: i, sampleRate: sampleRate))
            body(k, end - i, changed, value)
            k = end - first
        }
    }
}

extension SplitMix64 {
    /// The `n`-th value after the current state (n = 1 is what `nextUnit()` returns next),
    /// as a uniform double in `[0, 1)`, without advancing.
    @inlinable
    func unit(ahead n: Int) -> Double {
        var z = state &+ UInt64(truncatingIfNeeded: n) &* 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }

    /// Skips `n` values.
    @inlinable
    mutating func skip(_ n: Int) {
        state &+= UInt64(truncatingIfNeeded: n) &* 0x9e37_79b9_7f4a_7c15
    }
}

extension SweepJumpLayer {
    /// Writes the oscillator phase (in cycles, not reduced) of samples `first..<first + count`
    /// to `phases`, starting from `phase`; returns the phase after them, in [0, 1).
    @inlinable
    mutating func phases(
        from phase: Double, first: Int, count: Int, sampleRate: Double, into phases: UnsafeMutablePointer<Double>
    ) -> Double {
        var p = phase
        var steps = self.steps
        steps.forEachStep(first: first, count: count, sampleRate: sampleRate) { offset, length, changed, value in
            if changed { jump(to: value) }
            let inc = increment, row = phases + offset
            for m in 0..<length { row[m] = p + Double(m) * inc }
            p = FastMath.fraction(p + Double(length) * inc)
        }
        self.steps = steps
        return p
    }
}

extension HarmonicSweepLayer {
    /// Writes the oscillator phase (in cycles, not reduced) of samples `first..<first + count`
    /// to `phases`, starting from `phase`; returns the phase after them, in [0, 1).
    ///
    /// The increment grows by `sweepRate / sampleRate²` a sample, so `m` samples into a
    /// step the phase has moved `m·c + m(m-1)/2·d` from where the step began.
    @inlinable
    mutating func phases(
        from phase: Double, first: Int, count: Int, sampleRate: Double, into phases: UnsafeMutablePointer<Double>
    ) -> Double {
        var p = phase
        let d = sweepRate / sampleRate / sampleRate
        steps.forEachStep(first: first, count: count, sampleRate: sampleRate) { offset, length, changed, value in
            if changed { jump = freqRange * value }
            let c = (baseFreq + sweepRate * (Double(first + offset) / sampleRate) + jump) / sampleRate
            let row = phases + offset
            for m in 0..<length {
                let mm = Double(m)
                row[m] = p + mm * c + (mm * (mm - 1) * 0.5) * d
            }
            let l = Double(length)
            p = FastMath.fraction(p + l * c + (l * (l - 1) * 0.5) * d)
        }
        return p
    }
}

extension NoiseBurstLayer {
    /// Writes samples `first..<first + count` to `out`.
    @inlinable
    mutating func render(first: Int, count: Int, sampleRate: Double, into out: UnsafeMutablePointer<Double>) {
        gate.forEachStep(first: first, count: count, sampleRate: sampleRate) { offset, length, _, value in
            let row = out + offset
            if value <= threshold {
                row.update(repeating: 0, count: length)
            } else {
                let random = self.random
                for m in 0..<length { row[m] = amplitude * (2 * random.unit(ahead: m &+ 1) - 1) }
                self.random.skip(length)
            }
        }
    }
}

extension BackgroundNoiseLayer {
    /// Writes the next `count` samples to `out`.
    @inlinable
    mutating func render(count: Int, into out: UnsafeMutablePointer<Double>) {
        let random = self.random
        for m in 0..<count { out[m] = amplitude * (2 * random.unit(ahead: m &+ 1) - 1) }
        self.random.skip(count)
    }
}

extension LayerMix {
    /// Samples a block may hold.
    public static let blockCapacity = 256

    /// Working rows a block needs: sample times, three tone phases, two noise layers.
    @usableFromInline static let rows = 6

    /// Doubles of scratch `render(first:count:into:scratch:)` needs.
    public static let scratchCount = blockCapacity * rows

    /// Writes `clamp(sum of the five layers, -1, 1)` for samples `first..<first + count` to
    /// `out`, the same values `sample(at:)` gives one by one.
    ///
    /// `count` is at most `blockCapacity`; `out` must hold `count` rounded up to a multiple
    /// of 4, and `scratch` `scratchCount` doubles. Blocks must follow one another in order.
    @inlinable
    public mutating func render(
        first: Int, count: Int, into out: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
    ) {
        precondition(count >= 0 && count <= Self.blockCapacity)
        let n = Self.blockCapacity
        let times = scratch, phase0 = scratch + n, phase1 = scratch + 2 * n, phase2 = scratch + 3 * n
        let bursts = scratch + 4 * n, floors = scratch + 5 * n
        let padded = (count + 3) & ~3
        for row in 0..<Self.rows {
            (scratch + row * n + count).update(repeating: 0, count: padded - count)
        }
        for k in 0..<count { times[k] = Double(first &+ k) / rate }
        phases[0] = primary.phases(from: phases[0], first: first, count: count, sampleRate: rate, into: phase0)
        phases[1] = harmonic.phases(from: phases[1], first: first, count: count, sampleRate: rate, into: phase1)
        phases[2] = shriek.phases(from: phases[2], first: first, count: count, sampleRate: rate, into: phase2)
        burst.render(first: first, count: count, sampleRate: rate, into: bursts)
        background.render(count: count, into: floors)

        let primaryLevel = primary.amplitude, primaryRise = primary.rise
        let harmonicLevel = harmonic.amplitude
        let shriekLevel = shriek.amplitude, shriekRise = shriek.rise
        let raw = UnsafeMutableRawPointer(scratch), result = UnsafeMutableRawPointer(out)
        for offset in stride(from: 0, to: padded * 8, by: 32) {
            let t = raw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            let p0 = raw.loadUnaligned(fromByteOffset: offset + 8 * n, as: SIMD4<Double>.self)
            let p1 = raw.loadUnaligned(fromByteOffset: offset + 16 * n, as: SIMD4<Double>.self)
            let p2 = raw.loadUnaligned(fromByteOffset: offset + 24 * n, as: SIMD4<Double>.self)
            let b = raw.loadUnaligned(fromByteOffset: offset + 32 * n, as: SIMD4<Double>.self)
            let f = raw.loadUnaligned(fromByteOffset: offset + 40 * n, as: SIMD4<Double>.self)
            var sum = primaryLevel * (1 + primaryRise * t) * FastMath.sinCycles(p0)
            sum += harmonicLevel * FastMath.sinCycles(p1)
            sum += shriekLevel * (1 + shriekRise * t) * FastMath.sinCycles(p2)
            sum += b
            sum += f
            sum.replace(with: -1, where: sum .< -1)
            sum.replace(with: 1, where: sum .> 1)
            result.storeBytes(of: sum, toByteOffset: offset, as: SIMD4<Double>.self)
        }
    }
}
