import Foundation

/// Replacements for the libm calls in the per-sample path that the x86-64 baseline
/// cannot inline: a polynomial sine (a render then runs a quarter fewer instructions)
/// and an exact floor. The compressor keeps libm `exp`/`log`, whose FMA builds beat any
/// polynomial this baseline can run.
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
        let x2 = x * x
        var s = 2.8114572543455206e-15
        s = s * x2 - 7.647163731819816e-13
        s = s * x2 + 1.6059043836821613e-10
        s = s * x2 - 2.505210838544172e-08
        s = s * x2 + 2.7557319223985893e-06
        s = s * x2 - 0.0001984126984126984
        s = s * x2 + 0.008333333333333333
        s = s * x2 - 0.16666666666666666
        return x + x * x2 * s
    }

    /// `floor(v)` for |v| < 2^63, exactly, without a libm call.
    @inlinable
    static func floor(_ v: Double) -> Double {
        let t = Double(Int64(v))
        return t > v ? t - 1 : t
    }
}
