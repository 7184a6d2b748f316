/// The 256 colours of a preview image, which is stored as one palette index per pixel.
///
/// Indices below ``levels`` are the magma colour map from dark to bright; the rest are the
/// colours of the frame, text and waveform.
enum Palette {
    /// Colour-map entries, index 0 (darkest) to `levels - 1` (brightest).
    static let levels = 240
    /// The image background around the plots.
    static let background: UInt8 = 240
    /// Title and labels.
    static let text: UInt8 = 241
    /// Axis lines and ticks.
    static let axis: UInt8 = 242
    /// The waveform envelope.
    static let wave: UInt8 = 243
    /// The zero line behind the waveform.
    static let zeroLine: UInt8 = 244

    /// Magma sampled at 0, 1/8, ..., 1 (red, green, blue), the anchors the colour map
    /// interpolates between: black through purple and red to pale yellow, brightness rising
    /// steadily so that levels read the same in colour and in grey.
    private static let magmaAnchors: [(Double, Double, Double)] = [
        (0, 0, 4), (28, 16, 68), (79, 18, 123), (129, 37, 129), (181, 54, 122),
        (229, 80, 100), (251, 135, 97), (254, 194, 135), (252, 253, 191),
    ]

    /// The frame colours, in index order from ``background``.
    private static let frameColours: [(UInt8, UInt8, UInt8)] = [
        (18, 18, 26), (222, 222, 230), (120, 120, 138), (247, 160, 110), (60, 44, 80),
    ]

    /// 256 RGB triples, 768 bytes, as libpng takes a colour map.
    static let rgb: [UInt8] = {
        var bytes = [UInt8]()
        bytes.reserveCapacity(256 * 3)
        for level in 0..<levels {
            let position = Double(level) / Double(levels - 1) * Double(magmaAnchors.count - 1)
            let lower = min(Int(position), magmaAnchors.count - 2)
            let mix = position - Double(lower)
            let (a, b) = (magmaAnchors[lower], magmaAnchors[lower + 1])
            for (from, to) in [(a.0, b.0), (a.1, b.1), (a.2, b.2)] {
                bytes.append(UInt8((from + (to - from) * mix).rounded()))
            }
        }
        for colour in frameColours {
            bytes += [colour.0, colour.1, colour.2]
        }
        bytes += [UInt8](repeating: 0, count: 256 * 3 - bytes.count)
        return bytes
    }()

    /// The colour-map index for `level` dB on a scale from `floor` (darkest) to `floor + span` (brightest).
    @inline(__always)
    static func index(level: Float, floor: Float, span: Float) -> UInt8 {
        let position = (level - floor) * (Float(levels - 1) / span) + 0.5
        return UInt8(max(0, min(Float(levels - 1), position)))
    }
}
