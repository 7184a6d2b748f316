import Foundation

/// `10·log10(x)` of power values, from the float's bits: the exponent gives the
/// whole octaves and a 256-step table of `log2(1 + m)`, interpolated, the mantissa. It is
/// within 1e-4 dB of the library logarithm and several times cheaper, which matters for the
/// hundreds of thousands of spectrogram cells of every image.
enum Decibels {
    private static let log2Table: [Float] = (0...256).map { Float(log2(1 + Double($0) / 256)) }
    private static let decibelsPerOctave = Float(10 * log10(2.0))

    /// Hands `body` each index of `powers` with `10·log10(scale · power)`, or `-infinity`
    /// where the power is 0.
    @inline(__always)
    static func convert(_ powers: UnsafeMutableBufferPointer<Float>, scale: Float, _ body: (Int, Float) -> Void) {
        log2Table.withUnsafeBufferPointer { table in
            for index in powers.indices {
                let power = powers[index] * scale
                guard power > 0 else {
                    body(index, -.infinity)
                    continue
                }
                let bits = power.bitPattern
                let exponent = Int32((bits >> 23) & 0xFF) - 127
                let mantissa = bits & 0x7F_FFFF
                let step = Int(mantissa >> 15)
                let fraction = Float(mantissa & 0x7FFF) * (1 / 32768)
                let octaves = Float(exponent) + table[step] + (table[step + 1] - table[step]) * fraction
                body(index, octaves * decibelsPerOctave)
            }
        }
    }
}
