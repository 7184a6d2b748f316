/// Why a preview image could not be made.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The size is not `WIDTHxHEIGHT` within the accepted range.
    case invalidSize(String, option: String)
    /// The image path does not end in `.png`.
    case notPNG(path: String)
    /// The image would go to standard output, which carries the audio or a summary.
    case imageToStandardOutput
    /// libpng could not encode the image (its own message).
    case encodingFailed(String)

    public var description: String {
        switch self {
        case .invalidSize(let text, let option):
            "invalid image size '\(text)' from \(option): expected WIDTHxHEIGHT such as 1200x600, from \(ImageSize.minimum) to \(ImageSize.maximum)."
        case .notPNG(let path):
            "cannot write the image \(path): images are PNG, so name the file .png."
        case .imageToStandardOutput:
            "the image cannot go to standard output; give a file name ending in .png."
        case .encodingFailed(let message):
            "the PNG encoder failed: \(message)."
        }
    }

    /// The process exit status: 1 when the encoder failed, else 2 (a problem with the request).
    public var exitStatus: Int32 {
        if case .encodingFailed = self { return 1 }
        return 2
    }
}
