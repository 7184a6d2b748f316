/// The pixel size of a preview image.
public struct ImageSize: Sendable, Equatable, CustomStringConvertible {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int

    /// The size used when none is given: 1200×600.
    public static let standard = ImageSize(checkedWidth: 1200, height: 600)
    /// The smallest size whose labels and plots still fit.
    public static let minimum = ImageSize(checkedWidth: 320, height: 200)
    /// The largest size accepted, which bounds the memory a preview needs.
    public static let maximum = ImageSize(checkedWidth: 4096, height: 4096)

    private init(checkedWidth width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `WIDTHxHEIGHT` (such as `1200x600`), each side within ``minimum`` and ``maximum``.
    ///
    /// `option` names where the text came from, for the error.
    public init(parsing text: String, option: String) throws(ImageError) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let width = Int(parts[0]), let height = Int(parts[1]),
            (Self.minimum.width...Self.maximum.width).contains(width),
            (Self.minimum.height...Self.maximum.height).contains(height)
        else {
            throw .invalidSize(text, option: option)
        }
        self.init(checkedWidth: width, height: height)
    }

    /// `WIDTHxHEIGHT`.
    public var description: String { "\(width)x\(height)" }
}
