import Foundation

/// Replacements for the libm calls in the per-sample path that the x86-64 baseline
/// cannot inline: a polynomial sine, branch-free and lane-wise so consecutive samples of a
/// tone share one vector evaluation, and an exact floor. The compressor keeps libm
/// `exp`/`log` for its exact gains, which `Compressor` needs only now and then.
@usableFromInline
enum FastMath {
    /// Adding and then subtracting `1.5 · 2^52` rounds a double of magnitude below 2^51 to
    /// the nearest integer, with plain additions the baseline has in vector form.
    @usableFromInline static let roundingMagic = 0x1.8p52

    /// `sin(2π·p)` for a phase `p` in cycles, |p| < 2^51 (absolute error below 1e-13).
    ///
    /// As `cos(2π(p - 1/4))`: takes the nearest whole cycle off `p - 1/4`, leaving `u` in
    /// [-1/2, 1/2], and `cos(2πu) = sin(2π(1/4 - |u|))` with `1/4 - |u|` in [-1/4, 1/4],
    /// where an odd minimax polynomial takes over. Every step but the first subtraction is
    /// exact, and that one rounds by at most 2^-56 for a phase in [0, 1).
    @inlinable @inline(__always)
    static func sinCycles(_ p: Double) -> Double {
        let v = p - 0.25
        let u = v - ((v + roundingMagic) - roundingMagic)
        let x = 0.25 - u.magnitude
        return x * series(x * x)
    }

    /// `sin(2π·p)` in each lane: the same steps, branch-free, so every lane is bit for bit
    /// what the one-phase call gives.
    @inlinable @inline(__always)
    static func sinCycles(_ p: SIMD4<Double>) -> SIMD4<Double> {
        let v = p - 0.25
        let u = v - ((v + roundingMagic) - roundingMagic)
        let x = 0.25 - magnitude(u)
        let x2 = x * x
        var s = SIMD4(repeating: coefficients[0])
        for c in 1..<coefficients.count { s = s * x2 + coefficients[c] }
        return x * s
    }

    /// `|v|` in each lane, by clearing the sign bits.
    @inlinable @inline(__always)
    static func magnitude(_ v: SIMD4<Double>) -> SIMD4<Double> {
        unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt64>.self) & 0x7fff_ffff_ffff_ffff, to: SIMD4<Double>.self)
    }

    /// `sin(2πx) / x` on [-1/4, 1/4] as a polynomial in `x^2`, highest term first
    /// (a minimax fit of degree 13 in `x`: error below 5e-14).
    @usableFromInline static let coefficients: InlineArray<7, Double> = [
        3.6551102168088563, -15.07929999062148, 42.05796425027432, -76.7058411430096,
        81.60524903228237, -41.3417022389912, 6.283185307177235,
    ]

    /// `coefficients` evaluated at `x2` by Horner's rule.
    @inlinable
    static func series(_ x2: Double) -> Double {
        var s = coefficients[0]
        for c in 1..<coefficients.count { s = s * x2 + coefficients[c] }
        return s
    }

    /// `v - floor(v)` for |v| < 2^51, in [0, 1), without a libm call.
    @inlinable
    static func fraction(_ v: Double) -> Double {
        let f = v - ((v + roundingMagic) - roundingMagic)
        return f < 0 ? f + 1 : f
    }

    /// `floor(v)`, exactly, without a libm call; NaN and infinities come back unchanged.
    @inlinable
    static func floor(_ v: Double) -> Double {
        // From 2^52 up every double is whole; NaN fails the comparison and passes through.
        guard abs(v) < 0x1p52 else { return v }
        let t = Double(Int64(v))
        return t > v ? t - 1 : t
    }
}
