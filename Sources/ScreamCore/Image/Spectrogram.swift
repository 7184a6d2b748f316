import Foundation

/// A short-time Fourier transform of a mono signal, reduced on the fly to a grid of columns
/// (time) by rows (log-spaced frequency) in dB.
///
/// Frames of ``windowSize`` samples, Hann-windowed, are centred every ``hop`` samples from
/// sample 0 (the signal is zero-padded at both ends), so a scream of `totalSamples` makes
/// `ceil(totalSamples / hop)` frames. Frame k belongs to column `k · columns / frames`; a
/// column holds the mean power of its frames. With fewer frames than requested columns each
/// frame gets a column of its own. Memory is the grid plus one frame, whatever the length.
public struct Spectrogram: Sendable {
    /// Samples per frame.
    public static let windowSize = 2048
    /// Samples between frame centres.
    public static let hop = 512
    /// The lowest frequency shown, in Hz.
    public static let lowestFrequency = 50.0
    /// The level of the darkest colour, in dB relative to a full-scale sine.
    public static let floorDB: Float = -100

    /// Columns in the grid.
    public let columns: Int
    /// Rows in the grid; row 0 is the lowest frequency.
    public let rows: Int
    /// Samples per second of the signal.
    public let sampleRate: Int
    /// Frames the whole signal makes.
    public let frameCount: Int
    /// Level per cell in dB relative to a full-scale sine (at least ``floorDB``), row by row:
    /// `levels[row * columns + column]`. Complete once ``finish()`` has run.
    public private(set) var levels: [Float]

    private var fft: RealFFT
    private let window: [Float]
    private var frame: [Float]
    private var windowed: [Float]
    private var power: [Float]
    private var sums: [Float]
    /// Per row: the bins from `firstBin` up to `endBin` whose maximum it shows, or, when that
    /// range is empty (rows narrower than a bin), the bins `firstBin` and `firstBin + 1` mixed
    /// by `fraction`.
    private let firstBin, endBin: [Int32]
    private let fraction: [Float]
    private var filled = windowSize / 2
    private var framesDone = 0
    private var column = 0
    private var framesInColumn = 0
    private let scale: Float

    /// A spectrogram of `totalSamples` samples at `sampleRate`, reduced to at most `columns` by `rows`.
    public init(totalSamples: Int, sampleRate: Int, columns: Int, rows: Int) {
        precondition(columns > 0 && rows > 0 && sampleRate > 0)
        let n = Self.windowSize
        frameCount = max(1, (totalSamples + Self.hop - 1) / Self.hop)
        self.columns = min(columns, frameCount)
        self.rows = rows
        self.sampleRate = sampleRate
        levels = [Float](repeating: Self.floorDB, count: self.columns * rows)
        fft = RealFFT(size: n)
        window = (0..<n).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n))) }
        frame = [Float](repeating: 0, count: n)
        windowed = [Float](repeating: 0, count: n)
        power = [Float](repeating: 0, count: n / 2 + 1)
        sums = [Float](repeating: 0, count: rows)
        // A full-scale sine peaks at |X| = sum(window) / 2 = n / 4.
        scale = 1 / Float(n * n / 16)
        let binWidth = Double(sampleRate) / Double(n)
        let lastBin = n / 2
        var first = [Int32](), end = [Int32](), fraction = [Float]()
        for row in 0..<rows {
            let low = Self.frequency(atRow: Double(row), rows: rows, sampleRate: sampleRate) / binWidth
            let high = Self.frequency(atRow: Double(row + 1), rows: rows, sampleRate: sampleRate) / binWidth
            let centre = Self.frequency(atRow: Double(row) + 0.5, rows: rows, sampleRate: sampleRate) / binWidth
            let start = Int(low.rounded(.up))
            let stop = min(lastBin + 1, Int(high.rounded(.up)))
            if stop > start {
                first.append(Int32(start))
                end.append(Int32(stop))
                fraction.append(0)
            } else {
                let below = min(lastBin - 1, Int(centre))
                first.append(Int32(below))
                end.append(Int32(below))
                fraction.append(Float(centre - Double(below)))
            }
        }
        firstBin = first
        endBin = end
        self.fraction = fraction
    }

    /// The frequency in Hz at `row` (fractional rows allowed; row 0 starts at ``lowestFrequency``,
    /// row `rows` ends at Nyquist).
    public static func frequency(atRow row: Double, rows: Int, sampleRate: Int) -> Double {
        let nyquist = Double(sampleRate) / 2
        return lowestFrequency * pow(nyquist / lowestFrequency, row / Double(rows))
    }

    /// The level of `row` in `column`, in dB.
    public func level(column: Int, row: Int) -> Float {
        levels[row * columns + column]
    }

    /// The centre frequency of `row` in Hz.
    public func centreFrequency(ofRow row: Int) -> Double {
        Self.frequency(atRow: Double(row) + 0.5, rows: rows, sampleRate: sampleRate)
    }

    /// Adds interleaved frames of 1 or 2 channels; the spectrogram analyses their mean.
    public mutating func add(_ samples: UnsafeBufferPointer<Int16>, channels: Int) {
        let frames = samples.count / channels
        var done = 0
        while done < frames {
            let count = min(frames - done, Self.windowSize - filled)
            let source = samples.baseAddress! + done * channels
            let start = filled
            frame.withUnsafeMutableBufferPointer { frame in
                let target = frame.baseAddress! + start
                if channels == 2 {
                    for index in 0..<count {
                        target[index] = (Float(source[2 * index]) + Float(source[2 * index + 1])) * (0.5 / 32768)
                    }
                } else {
                    for index in 0..<count { target[index] = Float(source[index]) * (1 / 32768) }
                }
            }
            filled += count
            done += count
            if filled == Self.windowSize { transformFrame() }
        }
    }

    /// Pads the end with zeros until every frame is transformed, and completes the last column.
    public mutating func finish() {
        while framesDone < frameCount {
            for index in filled..<Self.windowSize { frame[index] = 0 }
            filled = Self.windowSize
            transformFrame()
        }
    }

    private mutating func transformFrame() {
        if framesDone < frameCount {
            analyseFrame()
            framesDone += 1
        }
        frame.withUnsafeMutableBufferPointer { frame in
            let keep = Self.windowSize - Self.hop
            frame.baseAddress!.update(from: frame.baseAddress! + Self.hop, count: keep)
        }
        filled = Self.windowSize - Self.hop
    }

    private mutating func analyseFrame() {
        let target = framesDone * columns / frameCount
        if target != column {
            closeColumn()
            column = target
        }
        frame.withUnsafeBufferPointer { frame in
            window.withUnsafeBufferPointer { window in
                windowed.withUnsafeMutableBufferPointer { windowed in
                    for index in 0..<Self.windowSize { windowed[index] = frame[index] * window[index] }
                }
            }
        }
        windowed.withUnsafeBufferPointer { input in
            power.withUnsafeMutableBufferPointer { power in fft.powerSpectrum(of: input, into: power) }
        }
        power.withUnsafeBufferPointer { power in
            sums.withUnsafeMutableBufferPointer { sums in
                firstBin.withUnsafeBufferPointer { firstBin in
                    endBin.withUnsafeBufferPointer { endBin in
                        fraction.withUnsafeBufferPointer { fraction in
                            Self.reduce(power, into: sums, firstBin: firstBin, endBin: endBin, fraction: fraction)
                        }
                    }
                }
            }
        }
        framesInColumn += 1
        if framesDone + 1 == frameCount { closeColumn() }
    }

    /// Adds each row's share of one frame's `power` to `sums`.
    private static func reduce(
        _ power: UnsafeBufferPointer<Float>, into sums: UnsafeMutableBufferPointer<Float>,
        firstBin: UnsafeBufferPointer<Int32>, endBin: UnsafeBufferPointer<Int32>, fraction: UnsafeBufferPointer<Float>
    ) {
        for row in 0..<sums.count {
            let (start, stop) = (Int(firstBin[row]), Int(endBin[row]))
            var value: Float
            if stop > start {
                value = power[start]
                for bin in (start + 1)..<stop { value = max(value, power[bin]) }
            } else {
                let mix = fraction[row]
                value = power[start] * (1 - mix) + power[start + 1] * mix
            }
            sums[row] += value
        }
    }

    private mutating func closeColumn() {
        guard framesInColumn > 0 else { return }
        let factor = scale / Float(framesInColumn)
        let (columns, column) = (columns, column)
        sums.withUnsafeMutableBufferPointer { sums in
            levels.withUnsafeMutableBufferPointer { levels in
                Decibels.convert(sums, scale: factor) { row, level in
                    levels[row * columns + column] = max(Self.floorDB, level)
                }
            }
            sums.update(repeating: 0)
        }
        framesInColumn = 0
    }
}
