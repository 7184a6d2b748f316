/// A preview image asked for beside the audio: where it goes and how big it is.
public struct ImageRequest: Sendable, Equatable {
    /// The PNG file to write.
    public let path: String
    /// The image size.
    public let size: ImageSize

    /// Checks that `path` names a `.png` file (not standard output).
    public init(path: String, size: ImageSize = .standard) throws {
        if path.isEmpty { throw ServiceError.emptyOutputPath }
        if path == "-" { throw ImageError.imageToStandardOutput }
        guard path.lowercased().hasSuffix(".png"), !path.hasSuffix("/.png") else { throw ImageError.notPNG(path: path) }
        self.path = path
        self.size = size
    }
}

/// A preview image made alongside a render: its file is opened before the render (so a bad
/// path fails first), the render feeds ``accumulator``, and the PNG is written to the
/// temporary file before anything is renamed into place.
final class ImageOutput {
    private let file: OutputFile
    /// What the render feeds; complete once the render has returned.
    var accumulator: ImageAccumulator?

    /// Opens the temporary file for `request`, for a signal of `totalFrames` frames at `sampleRate`.
    init(_ request: ImageRequest, totalFrames: Int, sampleRate: Int) throws {
        file = try OutputFile(path: request.path)
        accumulator = ImageAccumulator(size: request.size, totalFrames: totalFrames, sampleRate: sampleRate)
    }

    /// The hidden temporary file the image is written to.
    var temporaryPath: String? { file.temporaryPath }

    /// Draws the image under a title naming `subject`, the duration and the peak level, and
    /// writes it to the temporary file.
    func write(subject: String, peakDBFS: Double) throws {
        guard let accumulator else { return }
        let title = "\(subject), \(DurationText.rounded(accumulator.duration)), peak \(PeakText.text(for: peakDBFS))"
        try ImageRenderer.writePNG(of: accumulator, title: title, to: file.sink)
    }

    /// Renames the finished image into place.
    func commit() throws {
        try file.commit()
    }

    /// Removes the temporary file.
    func discard() {
        file.discard()
    }
}
