import Foundation

/// Replacements for the libm calls in the per-sample path that the x86-64 baseline
/// cannot inline: a polynomial sine, branch-free and lane-wise so the three tones of a mix
/// share one vector evaluation, and an exact floor. The compressor keeps libm `exp`/`log`
/// for its exact gains, which `Compressor` needs only now and then.
@usableFromInline
enum FastMath {
    @usableFromInline static let twoPi = 6.283185307179586

    /// `sin(2π·p)` for a phase `p` in cycles (absolute error below 1e-13).
    ///
    /// Reduces to [-1/4, 1/4] cycle by exact steps, then an odd Taylor series to x^17.
    @inlinable
    static func sinCycles(_ p: Double) -> Double {
        var q = p
        if !(q >= 0 && q < 1) { q -= Foundation.floor(q) }
        if q >= 0.5 { q -= 1 }
        if q > 0.25 {
            q = 0.5 - q
        } else if q < -0.25 {
            q = -0.5 - q
        }
        let x = q * twoPi
        return x + x * (x * x) * taylor(x * x)
    }

    /// `sin(2π·p)` in each lane: the same reduction, branch-free, and the same series, so
    /// every lane is bit for bit what the one-phase call gives (but for the sign of a zero).
    @inlinable
    static func sinCycles(_ phases: SIMD4<Double>) -> SIMD4<Double> {
        var p = phases
        if any(p .< 0 .| p .>= 1) {
            for i in p.indices where !(p[i] >= 0 && p[i] < 1) { p[i] -= Foundation.floor(p[i]) }
        }
        let upper = p .>= 0.5
        let q = p.replacing(with: p - 1, where: upper)
        let magnitude = q.replacing(with: -q, where: upper)
        let folded = magnitude.replacing(with: 0.5 - magnitude, where: magnitude .> 0.25)
        let x = folded.replacing(with: -folded, where: upper) * twoPi
        let x2 = x * x
        var s = SIMD4(repeating: taylor[0])
        for c in 1..<taylor.count { s = s * x2 + taylor[c] }
        return x + x * x2 * s
    }

    /// The series after `x`: `(sin x - x) / x^3` as a polynomial in `x^2`, highest term first.
    @usableFromInline static let taylor: InlineArray<8, Double> = [
        2.8114572543455206e-15, -7.647163731819816e-13, 1.6059043836821613e-10, -2.505210838544172e-08,
        2.7557319223985893e-06, -0.0001984126984126984, 0.008333333333333333, -0.16666666666666666,
    ]

    /// `taylor` evaluated at `x2` by Horner's rule.
    @inlinable
    static func taylor(_ x2: Double) -> Double {
        var s = taylor[0]
        for c in 1..<taylor.count { s = s * x2 + taylor[c] }
        return s
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
