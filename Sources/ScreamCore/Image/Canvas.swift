/// A rectangle of pixels: `x`, `y` from the top-left corner.
struct PixelRect: Equatable, Sendable {
    var x, y, width, height: Int

    /// The first column right of the rectangle.
    var maxX: Int { x + width }
    /// The first row below the rectangle.
    var maxY: Int { y + height }
}

/// An image as one palette index per pixel, rows from the top, with the drawing the preview needs.
struct Canvas: Sendable {
    let width, height: Int
    /// `width · height` palette indices, row by row.
    private(set) var pixels: [UInt8]

    /// A canvas filled with `colour`.
    init(width: Int, height: Int, colour: UInt8) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: colour, count: width * height)
    }

    /// Runs `body` on the pixels, row by row from the top.
    mutating func withPixels<Result>(_ body: (UnsafeMutableBufferPointer<UInt8>) -> Result) -> Result {
        pixels.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Fills `rect`, clipped to the canvas.
    mutating func fill(_ rect: PixelRect, _ colour: UInt8) {
        let (left, right) = (max(0, rect.x), min(width, rect.maxX))
        guard left < right else { return }
        for y in max(0, rect.y)..<max(max(0, rect.y), min(height, rect.maxY)) {
            pixels.withUnsafeMutableBufferPointer { $0[(y * width + left)..<(y * width + right)].update(repeating: colour) }
        }
    }

    /// Draws `text` with its top-left corner at `x`, `y`, `scale` image pixels per font pixel.
    mutating func draw(_ text: String, x: Int, y: Int, scale: Int, colour: UInt8) {
        var left = x
        for scalar in text.unicodeScalars {
            for (row, bits) in BitmapFont.rows(of: scalar).enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> column) != 0 {
                    fill(PixelRect(x: left + column * scale, y: y + row * scale, width: scale, height: scale), colour)
                }
            }
            left += BitmapFont.advance * scale
        }
    }
}
