import Foundation

/// A one-line progress bar on standard error, shown only on a terminal and only once a
/// render has taken longer than ``delay``.
public struct ProgressBar {
    /// How long a render runs before the bar appears.
    public static let delay: Duration = .seconds(1)
    /// Characters between the brackets.
    static let width = 30

    private let enabled: Bool
    private let start = ContinuousClock.now
    private var shownPercent: Int?

    /// A bar that draws only when `enabled` (pass whether standard error is a terminal).
    public init(enabled: Bool) {
        self.enabled = enabled
    }

    /// A bar for this process's standard error.
    public static func forStandardError() -> ProgressBar {
        ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
    }

    /// Reports that `done` of `total` frames are rendered.
    public mutating func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        guard percent != shownPercent, ContinuousClock.now - start >= Self.delay else { return }
        shownPercent = percent
        FileHandle.standardError.write(Data(("\r" + Self.line(percent: percent)).utf8))
    }

    /// Erases the bar if it was drawn.
    public func finish() {
        guard shownPercent != nil else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// The bar's text at `percent` (0...100), e.g. `rendering [#######-----…]  25%`.
    static func line(percent: Int) -> String {
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let number = String(percent)
        return "rendering [\(bar)] " + String(repeating: " ", count: 3 - number.count) + number + "%"
    }
}
