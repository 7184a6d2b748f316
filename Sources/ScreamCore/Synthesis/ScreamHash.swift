/// The stateless hash behind every seeded jump and gate (design §3).
public enum ScreamHash {
    /// Scrambles `x` and maps it to a double in `[0, 1)` (SplitMix64 finaliser, top 53 bits).
    @inlinable
    public static func mix64(_ x: UInt64) -> Double {
        var x = x
        x = (x ^ (x >> 30)) &* 0xbf58_476d_1ce4_e5b9
        x = (x ^ (x >> 27)) &* 0x94d0_49bb_1331_11eb
        x = x ^ (x >> 31)
        return Double(x >> 11) * 0x1p-53
    }

    /// The hash of `seed ^ (step &* coprime)`, all in wrapping 64-bit arithmetic.
    @inlinable
    public static func seeded(seed: Int64, step: Int64, coprime: Int64) -> Double {
        mix64(UInt64(bitPattern: seed ^ (step &* coprime)))
    }
}

/// A small, fast, deterministic generator (SplitMix64) for noise and random parameters.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// Creates a generator whose whole output is fixed by `seed`.
    @inlinable
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform double in `[0, 1)`.
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
