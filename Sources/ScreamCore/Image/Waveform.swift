/// The min/max envelope of a signal, one pair per pixel column.
///
/// Frame f of `totalFrames` belongs to column `f · columns / totalFrames`; a column with no
/// frame (a signal shorter than the strip is wide) repeats its left neighbour when drawn.
public struct Waveform: Sendable {
    /// Columns in the strip.
    public let columns: Int
    /// Frames the whole signal has.
    public let totalFrames: Int
    /// The lowest sample per column; `Int16.max` for a column no frame reached.
    public private(set) var minimum: [Int16]
    /// The highest sample per column; `Int16.min` for a column no frame reached.
    public private(set) var maximum: [Int16]
    private var frame = 0
    private var column = 0
    private var nextBoundary: Int

    /// An envelope of `totalFrames` frames over `columns` columns.
    public init(totalFrames: Int, columns: Int) {
        precondition(columns > 0)
        self.columns = columns
        self.totalFrames = max(1, totalFrames)
        minimum = [Int16](repeating: .max, count: columns)
        maximum = [Int16](repeating: .min, count: columns)
        nextBoundary = Self.boundary(after: 0, columns: columns, totalFrames: self.totalFrames)
    }

    /// Adds interleaved frames of `channels` channels; a column spans every sample of its frames.
    public mutating func add(_ samples: UnsafeBufferPointer<Int16>, channels: Int) {
        let frames = samples.count / channels
        var done = 0
        while done < frames {
            while frame >= nextBoundary, column < columns - 1 {
                column += 1
                nextBoundary = Self.boundary(after: column, columns: columns, totalFrames: totalFrames)
            }
            let count = column == columns - 1 ? frames - done : min(frames - done, nextBoundary - frame)
            var (low, high) = (minimum[column], maximum[column])
            for sample in UnsafeBufferPointer(rebasing: samples[(done * channels)..<((done + count) * channels)]) {
                low = min(low, sample)
                high = max(high, sample)
            }
            minimum[column] = low
            maximum[column] = high
            done += count
            frame += count
        }
    }

    /// The first frame of column `column + 1`: the least f with `f · columns / totalFrames > column`.
    private static func boundary(after column: Int, columns: Int, totalFrames: Int) -> Int {
        ((column + 1) * totalFrames + columns - 1) / columns
    }
}
