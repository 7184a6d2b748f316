/// A phase accumulator in cycles: phase starts at 0 and wraps once it reaches 1.
public struct Oscillator: Sendable {
    /// Current phase in cycles.
    public internal(set) var phase: Double = 0
    @usableFromInline let sampleRate: Double

    /// Creates an oscillator at phase 0 for the given sample rate.
    public init(sampleRate: Int) {
        self.sampleRate = Double(sampleRate)
    }

    /// `sin(2πp)` at the current phase, then advances by `frequency / sampleRate`.
    @inlinable
    public mutating func sine(_ frequency: Double) -> Double {
        sine(increment: frequency / sampleRate)
    }

    /// `sin(2πp)` at the current phase, then advances by `increment` cycles (a frequency
    /// already divided by the sample rate, for tones that hold their frequency).
    @inlinable
    public mutating func sine(increment: Double) -> Double {
        let out = FastMath.sinCycles(phase)
        advance(increment)
        return out
    }

    /// `2p - 1` at the current phase, then advances by `frequency / sampleRate`.
    @inlinable
    public mutating func saw(_ frequency: Double) -> Double {
        let out = 2 * phase - 1
        advance(frequency / sampleRate)
        return out
    }

    @usableFromInline
    mutating func advance(_ increment: Double) {
        phase += increment
        if phase >= 1 { phase -= 1 }
    }
}
