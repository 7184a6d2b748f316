import CPNG

/// Writes a canvas as an 8-bit palette PNG through libpng.
///
/// The rows are stored, not compressed (zlib level 0): the spectrogram is noise-like, and
/// every zlib setting tried (run-length, level 1 to 3, with and without filters) costs about
/// as many instructions as the whole image otherwise does, about 45 million for 1200×600,
/// which would put the image far above its budget of a fifth of the render. A default
/// image is therefore 0.7 MB, where zlib's run-length mode would give about 150 kB. The file holds
/// no time stamp or other varying chunk, so the same canvas always gives the same bytes.
enum PNGEncoder {
    /// The zlib level of the image data.
    static let compressionLevel: Int32 = 0

    /// Writes the PNG of `canvas`, in the colours of ``Palette``, to `sink`.
    static func write(_ canvas: Canvas, to sink: ByteSink) throws {
        var target = scream_png_target()
        target.fd = sink.fileDescriptor
        let result = canvas.pixels.withUnsafeBufferPointer { pixels in
            Palette.rgb.withUnsafeBufferPointer { colours in
                scream_png_write_indexed(
                    &target, png_uint_32(canvas.width), png_uint_32(canvas.height), pixels.baseAddress,
                    colours.baseAddress, Int32(colours.count / 3), compressionLevel)
            }
        }
        guard result == 0 else {
            if target.write_errno != 0 { throw EncodingError.writeFailed(errno: target.write_errno) }
            let message = withUnsafeBytes(of: target.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw ImageError.encodingFailed(message)
        }
    }
}
