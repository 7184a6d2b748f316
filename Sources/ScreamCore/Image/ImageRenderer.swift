import Foundation

/// Draws a filled ``ImageAccumulator`` as a PNG: a title line, the waveform strip, the
/// spectrogram under it on a log frequency axis, and labelled time and frequency axes.
public enum ImageRenderer {
    /// The level drawn brightest, in dB relative to a full-scale sine.
    static let ceilingDB: Float = -10
    /// Tick spacings to choose from, in milliseconds.
    private static let timeSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000]
    /// Frequencies that get a labelled tick, when they fit below Nyquist.
    private static let frequencyTicks = [50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000]

    /// Writes the PNG file of `image`, with `title` on top, to `sink`.
    public static func writePNG(of image: ImageAccumulator, title: String, to sink: ByteSink) throws {
        try PNGEncoder.write(canvas(of: image, title: title), to: sink)
    }

    /// The drawn image as palette indices.
    static func canvas(of image: ImageAccumulator, title: String) -> Canvas {
        let layout = image.layout
        var canvas = Canvas(width: layout.size.width, height: layout.size.height, colour: Palette.background)
        canvas.draw(title, x: layout.title.x, y: layout.title.y, scale: layout.scale, colour: Palette.text)
        drawWaveform(image.waveform, in: layout.waveform, on: &canvas)
        drawSpectrogram(image.spectrogram, in: layout.spectrogram, on: &canvas)
        drawFrequencyAxis(sampleRate: image.spectrogram.sampleRate, layout: layout, on: &canvas)
        drawTimeAxis(duration: image.duration, layout: layout, on: &canvas)
        return canvas
    }

    private static func drawWaveform(_ waveform: Waveform, in rect: PixelRect, on canvas: inout Canvas) {
        canvas.fill(rect, 0)
        let middle = rect.y + rect.height / 2
        canvas.fill(PixelRect(x: rect.x, y: middle, width: rect.width, height: 1), Palette.zeroLine)
        let halfHeight = Double(rect.height - 1) / 2
        var (low, high) = (Int16(0), Int16(0))
        for column in 0..<rect.width {
            if waveform.minimum[column] <= waveform.maximum[column] {
                (low, high) = (waveform.minimum[column], waveform.maximum[column])
            }
            let top = Int((Double(rect.y) + halfHeight - Double(high) / 32768 * halfHeight).rounded())
            let bottom = Int((Double(rect.y) + halfHeight - Double(low) / 32768 * halfHeight).rounded())
            canvas.fill(PixelRect(x: rect.x + column, y: top, width: 1, height: bottom - top + 1), Palette.wave)
        }
    }

    /// Each spectrogram column covers the pixel columns its frames span: one each for a long
    /// scream, several for a scream with fewer frames than the plot is wide.
    private static func drawSpectrogram(_ spectrogram: Spectrogram, in rect: PixelRect, on canvas: inout Canvas) {
        let columns = spectrogram.columns
        let edges = (0...columns).map { $0 * rect.width / columns }
        let width = canvas.width
        let (floor, span) = (Spectrogram.floorDB, ceilingDB - Spectrogram.floorDB)
        spectrogram.levels.withUnsafeBufferPointer { levels in
            canvas.withPixels { pixels in
                for row in 0..<spectrogram.rows {
                    let source = levels.baseAddress! + row * columns
                    let target = pixels.baseAddress! + (rect.maxY - 1 - row) * width + rect.x
                    for column in 0..<columns {
                        let colour = Palette.index(level: source[column], floor: floor, span: span)
                        (target + edges[column]).update(repeating: colour, count: edges[column + 1] - edges[column])
                    }
                }
            }
        }
    }

    private static func drawFrequencyAxis(sampleRate: Int, layout: ImageLayout, on canvas: inout Canvas) {
        let rect = layout.spectrogram
        let scale = layout.scale
        canvas.fill(PixelRect(x: rect.x - 1, y: rect.y, width: 1, height: rect.height), Palette.axis)
        let nyquist = Double(sampleRate) / 2
        let span = log(nyquist / Spectrogram.lowestFrequency)
        var lastLabelTop = Int.max
        for frequency in frequencyTicks where Double(frequency) <= nyquist {
            let row = Double(rect.height) * log(Double(frequency) / Spectrogram.lowestFrequency) / span
            let y = rect.maxY - 1 - Int(row.rounded())
            let top = max(rect.y, y - layout.lineHeight / 2)
            guard top + layout.lineHeight + 2 * scale <= lastLabelTop else { continue }
            lastLabelTop = top
            canvas.fill(PixelRect(x: rect.x - 1 - layout.tick, y: y, width: layout.tick, height: 1), Palette.axis)
            let label = frequency >= 1000 ? "\(frequency / 1000)k" : "\(frequency)"
            let width = BitmapFont.width(of: label, scale: scale)
            canvas.draw(label, x: rect.x - 1 - layout.tick - 2 * scale - width, y: top, scale: scale, colour: Palette.text)
        }
        let name = "Hz"
        let nameWidth = BitmapFont.width(of: name, scale: scale)
        canvas.draw(
            name, x: rect.x - 1 - layout.tick - 2 * scale - nameWidth, y: rect.y - layout.lineHeight - 3 * scale,
            scale: scale, colour: Palette.text)
    }

    private static func drawTimeAxis(duration: Double, layout: ImageLayout, on canvas: inout Canvas) {
        let rect = layout.spectrogram
        let scale = layout.scale
        canvas.fill(PixelRect(x: rect.x - 1, y: rect.maxY, width: rect.width + 1, height: 1), Palette.axis)
        let widest = BitmapFont.width(of: label(milliseconds: Int(duration * 1000)), scale: scale) + 2 * scale
        let pixelsPerSecond = Double(rect.width) / max(duration, 0.001)
        let step = timeSteps.first { Double($0) / 1000 * pixelsPerSecond >= Double(max(widest * 2, 40 * scale)) }
            ?? timeSteps.last!
        let labelTop = rect.maxY + 1 + layout.tick + 2 * scale
        var milliseconds = 0
        while Double(milliseconds) / 1000 <= duration + 1e-9 {
            let x = rect.x + Int((Double(milliseconds) / 1000 * pixelsPerSecond).rounded())
            canvas.fill(PixelRect(x: min(x, rect.maxX - 1), y: rect.maxY + 1, width: 1, height: layout.tick), Palette.axis)
            let text = label(milliseconds: milliseconds)
            let width = BitmapFont.width(of: text, scale: scale)
            canvas.draw(text, x: x - width / 2, y: labelTop, scale: scale, colour: Palette.text)
            milliseconds += step
        }
        let name = "time (s)"
        canvas.draw(
            name, x: rect.x + (rect.width - BitmapFont.width(of: name, scale: scale)) / 2,
            y: labelTop + layout.lineHeight + 3 * scale, scale: scale, colour: Palette.text)
    }

    /// Seconds with as few decimals as needed: `0`, `0.5`, `1.25`, `90`.
    static func label(milliseconds: Int) -> String {
        let whole = "\(milliseconds / 1000)"
        var fraction = "\(1000 + milliseconds % 1000)".dropFirst()
        while fraction.last == "0" { fraction.removeLast() }
        return fraction.isEmpty ? whole : "\(whole).\(fraction)"
    }
}
