import Foundation

/// A radix-2 FFT of real input, sized once: `size` real samples in, `size / 2 + 1` bins out.
///
/// The real signal is packed as `size / 2` complex samples (even samples real, odd samples
/// imaginary), transformed by an iterative complex FFT and split into the real spectrum.
/// Every table and scratch buffer is allocated in `init`; ``powerSpectrum(of:into:)`` allocates
/// nothing.
public struct RealFFT: Sendable {
    /// Real samples per transform (a power of two, at least 8).
    public let size: Int
    /// Bins of the spectrum, `size / 2 + 1`: 0 Hz to Nyquist.
    public var binCount: Int { size / 2 + 1 }
    private let half: Int
    private let bitReversed: [Int32]
    /// The complex FFT's twiddles `cos(-πk/span)` and `sin(-πk/span)`, k < span, for each
    /// stage's span 4, 8, ..., half / 2 in turn; a stage's run starts at `span - 4`, so its
    /// inner loop reads them in order.
    private let cosines, sines: [Float]
    /// `cos(-2πk/size)` and `sin(-2πk/size)`, k ≤ half: the twiddles that split the spectrum.
    private let splitCosines, splitSines: [Float]
    private var real, imaginary: [Float]

    /// Prepares transforms of `size` real samples.
    public init(size: Int) {
        precondition(size >= 8 && size & (size - 1) == 0, "the FFT size must be a power of two, at least 8")
        self.size = size
        half = size / 2
        let bits = half.trailingZeroBitCount
        bitReversed = (0..<half).map { index in
            var reversed = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            return Int32(reversed)
        }
        let half = self.half
        let spans = sequence(first: 4) { $0 * 2 }.prefix { $0 < half }
        cosines = spans.flatMap { span in (0..<span).map { Float(cos(-Double.pi * Double($0) / Double(span))) } }
        sines = spans.flatMap { span in (0..<span).map { Float(sin(-Double.pi * Double($0) / Double(span))) } }
        splitCosines = (0...half).map { Float(cos(-2 * Double.pi * Double($0) / Double(size))) }
        splitSines = (0...half).map { Float(sin(-2 * Double.pi * Double($0) / Double(size))) }
        real = [Float](repeating: 0, count: half)
        imaginary = [Float](repeating: 0, count: half)
    }

    /// Writes `|X[k]|²` for k = 0 ... size / 2 of the DFT `X[k] = Σ x[n]·e^(-2πikn/size)`.
    ///
    /// `input` holds `size` samples; `power` has room for ``binCount`` values.
    public mutating func powerSpectrum(of input: UnsafeBufferPointer<Float>, into power: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == size && power.count >= binCount)
        let half = self.half
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                bitReversed.withUnsafeBufferPointer { order in
                    for n in 0..<half {
                        let target = Int(order[n])
                        re[target] = input[2 * n]
                        im[target] = input[2 * n + 1]
                    }
                }
                cosines.withUnsafeBufferPointer { cosines in
                    sines.withUnsafeBufferPointer { sines in
                        Self.butterflies(re, im, cosines, sines)
                    }
                }
                splitCosines.withUnsafeBufferPointer { cosines in
                    splitSines.withUnsafeBufferPointer { sines in
                        Self.split(re, im, cosines, sines, into: power)
                    }
                }
            }
        }
    }

    /// The in-place decimation-in-time complex FFT of bit-reversed `re` + i·`im`.
    ///
    /// The first two stages, whose twiddles are 1 and -i, run as one radix-4 pass; the
    /// others, whose spans are multiples of 4, four butterflies at a time.
    private static func butterflies(
        _ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>,
        _ cosines: UnsafeBufferPointer<Float>, _ sines: UnsafeBufferPointer<Float>
    ) {
        let count = re.count
        let (re, im) = (re.baseAddress!, im.baseAddress!)
        for start in stride(from: 0, to: count, by: 4) {
            let (sumR, sumI) = (re[start] + re[start + 1], im[start] + im[start + 1])
            let (difR, difI) = (re[start] - re[start + 1], im[start] - im[start + 1])
            let (sum2R, sum2I) = (re[start + 2] + re[start + 3], im[start + 2] + im[start + 3])
            let (dif2R, dif2I) = (re[start + 2] - re[start + 3], im[start + 2] - im[start + 3])
            re[start] = sumR + sum2R
            im[start] = sumI + sum2I
            re[start + 2] = sumR - sum2R
            im[start + 2] = sumI - sum2I
            re[start + 1] = difR + dif2I
            im[start + 1] = difI - dif2R
            re[start + 3] = difR - dif2I
            im[start + 3] = difI + dif2R
        }
        var span = 4
        while span < count {
            let (cosines, sines) = (cosines.baseAddress! + span - 4, sines.baseAddress! + span - 4)
            var start = 0
            while start < count {
                let (topR, topI) = (re + start, im + start)
                let (lowR, lowI) = (re + start + span, im + start + span)
                for k in stride(from: 0, to: span, by: 4) {
                    let (wr, wi) = (Self.load(cosines + k), Self.load(sines + k))
                    let (br, bi) = (Self.load(lowR + k), Self.load(lowI + k))
                    let (ar, ai) = (Self.load(topR + k), Self.load(topI + k))
                    let tr = wr * br - wi * bi
                    let ti = wr * bi + wi * br
                    Self.store(ar - tr, lowR + k)
                    Self.store(ai - ti, lowI + k)
                    Self.store(ar + tr, topR + k)
                    Self.store(ai + ti, topI + k)
                }
                start += 2 * span
            }
            span *= 2
        }
    }

    /// Four floats from `pointer`.
    @inline(__always)
    private static func load(_ pointer: UnsafeRawPointer) -> SIMD4<Float> {
        pointer.loadUnaligned(as: SIMD4<Float>.self)
    }

    /// Four floats to `pointer`.
    @inline(__always)
    private static func store(_ value: SIMD4<Float>, _ pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: value, as: SIMD4<Float>.self)
    }

    /// Splits the packed transform Z into the real signal's spectrum:
    /// `X[k] = (Z[k] + Z*[h-k]) / 2 - i·w^k·(Z[k] - Z*[h-k]) / 2`, with w = e^(-2πi/size).
    private static func split(
        _ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>,
        _ cosines: UnsafeBufferPointer<Float>, _ sines: UnsafeBufferPointer<Float>,
        into power: UnsafeMutableBufferPointer<Float>
    ) {
        let half = re.count
        for k in 0...half {
            let (a, b) = (k == half ? 0 : k, k == 0 ? 0 : half - k)
            let (ar, ai) = (re[a], im[a])
            let (br, bi) = (re[b], -im[b])
            let (evenR, evenI) = (0.5 * (ar + br), 0.5 * (ai + bi))
            let (oddR, oddI) = (0.5 * (ar - br), 0.5 * (ai - bi))
            let (wr, wi) = (cosines[k], sines[k])
            let xr = evenR + wr * oddI + wi * oddR
            let xi = evenI - wr * oddR + wi * oddI
            power[k] = xr * xr + xi * xi
        }
    }
}
