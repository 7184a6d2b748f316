import Foundation

/// Polynomial versions of the three libm calls in the per-sample path, accurate to a few
/// units in the last place of a Double over the ranges the synthesizer uses, without
/// calls into libm (whose x86-64 baseline versions dominate the render otherwise).
@usableFromInline
enum FastMath {
    @usableFromInline static let twoPi = 6.283185307179586
    @usableFromInline static let inverseLn2 = 1.4426950408889634
    /// ln 2 split so that `k * ln2High` is exact for |k| < 2^20.
    @usableFromInline static let ln2High = 0.6931467056274414
    @usableFromInline static let ln2Low = 4.7493250390316726e-07

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

    /// Natural logarithm of a positive normal `x`: `k·ln2 + 2·atanh((m-1)/(m+1))`.
    @inlinable
    static func log(_ x: Double) -> Double {
        let bits = x.bitPattern
        var k = Int64(bits >> 52) - 1023
        var m = Double(bitPattern: (bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)
        if m > 1.4142135623730951 {
            m *= 0.5
            k += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var p = 1.0 / 23
        p = p * s2 + 1.0 / 21
        p = p * s2 + 1.0 / 19
        p = p * s2 + 1.0 / 17
        p = p * s2 + 1.0 / 15
        p = p * s2 + 1.0 / 13
        p = p * s2 + 1.0 / 11
        p = p * s2 + 1.0 / 9
        p = p * s2 + 1.0 / 7
        p = p * s2 + 1.0 / 5
        p = p * s2 + 1.0 / 3
        let kd = Double(k)
        return kd * ln2High + (kd * ln2Low + (2 * s + 2 * s * s2 * p))
    }

    /// `e^y`: `2^k · e^r` with |r| ≤ ln2/2 and a Taylor series to r^13.
    @inlinable
    static func exp(_ y: Double) -> Double {
        guard y > -700 && y < 700 else { return Foundation.exp(y) }
        let kf = y * inverseLn2
        let k = Int64(kf + (kf >= 0 ? 0.5 : -0.5))
        let kd = Double(k)
        let r = (y - kd * ln2High) - kd * ln2Low
        var p = 1.6059043836821613e-10
        p = p * r + 2.08767569878681e-09
        p = p * r + 2.505210838544172e-08
        p = p * r + 2.755731922398589e-07
        p = p * r + 2.7557319223985893e-06
        p = p * r + 2.48015873015873e-05
        p = p * r + 0.0001984126984126984
        p = p * r + 0.001388888888888889
        p = p * r + 0.008333333333333333
        p = p * r + 0.041666666666666664
        p = p * r + 0.16666666666666666
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        return p * Double(bitPattern: UInt64(k + 1023) << 52)
    }

    /// `floor(v)` for |v| < 2^63, exactly, without a libm call.
    @inlinable
    static func floor(_ v: Double) -> Double {
        let t = Double(Int64(v))
        return t > v ? t - 1 : t
    }
}
