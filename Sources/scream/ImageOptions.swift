import ArgumentParser
import ScreamCore

/// The preview-image options of `generate` and `play --dry-run`.
struct ImageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also write a PNG of the waveform and spectrogram of the scream.", valueName: "file.png"))
    var image: String?

    @Option(help: ArgumentHelp("Image size as WIDTHxHEIGHT (default: 1200x600).", valueName: "size"))
    var imageSize: String?

    /// The image asked for, checked; `nil` without `--image`.
    func request() throws -> ImageRequest? {
        if imageSize != nil, image == nil { throw UsageError.imageSizeWithoutImage }
        let size = try imageSize.map { try ImageSize(parsing: $0, option: "--image-size") } ?? .standard
        return try image.map { try ImageRequest(path: $0, size: size) }
    }
}
