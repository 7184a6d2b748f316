/// Where the parts of a preview image go, for one image size.
///
/// Everything scales with ``scale``, the size of one font pixel: 1 up to 600×300, 2 at the
/// default 1200×600, and so on.
struct ImageLayout: Sendable {
    /// Image pixels per font pixel.
    let scale: Int
    /// The whole image.
    let size: ImageSize
    /// Where the title's top-left corner goes.
    let title: (x: Int, y: Int)
    /// The waveform strip.
    let waveform: PixelRect
    /// The spectrogram.
    let spectrogram: PixelRect

    /// The height of a line of text.
    var lineHeight: Int { BitmapFont.glyphHeight * scale }
    /// The length of an axis tick.
    var tick: Int { 3 * scale }

    init(size: ImageSize) {
        self.size = size
        let scale = max(1, min(size.width / 600, size.height / 300))
        self.scale = scale
        let line = BitmapFont.glyphHeight * scale
        let pad = 5 * scale
        let left = pad + BitmapFont.width(of: "20k", scale: scale) + 3 * scale + 2 * scale
        let right = 12 * scale
        let top = pad + line + pad
        // Ticks, a gap, the tick labels, a gap and the axis name.
        let bottom = 3 * scale + 2 * scale + line + 3 * scale + line + pad
        let gap = line + 4 * scale
        let plots = size.height - top - bottom - gap
        let waveHeight = plots / 5
        title = (pad, pad)
        waveform = PixelRect(x: left, y: top, width: size.width - left - right, height: waveHeight)
        spectrogram = PixelRect(
            x: left, y: top + waveHeight + gap, width: size.width - left - right, height: plots - waveHeight)
    }
}
