import CPNG

/// Writes a canvas as an 8-bit palette PNG through libpng.
///
/// Rows go through the Sub filter and zlib's run-length strategy: palette indices follow the
/// colour map's brightness, so neighbour differences are small and runs long, and this is
/// both smaller and several times faster than general deflate on the noise-like spectrogram.
/// The file holds no time stamp or other varying chunk, so the same canvas always gives the
/// same bytes.
enum PNGEncoder {
    /// Writes the PNG of `canvas`, in the colours of ``Palette``, to `sink`.
    static func write(_ canvas: Canvas, to sink: ByteSink) throws {
        var target = scream_png_target()
        target.fd = sink.fileDescriptor
        let result = canvas.pixels.withUnsafeBufferPointer { pixels in
            Palette.rgb.withUnsafeBufferPointer { colours in
                scream_png_write_indexed(
                    &target, png_uint_32(canvas.width), png_uint_32(canvas.height), pixels.baseAddress,
                    colours.baseAddress, Int32(colours.count / 3))
            }
        }
        guard result == 0 else {
            if target.write_errno != 0 { throw EncodingError.writeFailed(errno: target.write_errno) }
            let message = withUnsafeBytes(of: target.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw ImageError.encodingFailed(message)
        }
    }
}
