import Foundation

/// A PCM source that watches the audio passing through it: the peak level, progress on a
/// bar, a preview image if one was asked for, and a pending signal (see ``SignalTrap``),
/// which stops the render between blocks.
public struct MonitoredSource<Base: PCMSource>: PCMSource {
    /// The source being watched.
    public private(set) var base: Base
    /// Frames the base source will deliver in all.
    public let totalFrames: Int
    /// Frames delivered so far.
    public private(set) var framesRead = 0
    /// The largest sample magnitude so far (0...32768).
    public private(set) var peak = 0
    /// The preview image being drawn from the same blocks, if any.
    public var image: ImageAccumulator?
    private let trap: SignalTrap
    private var progress: ProgressBar

    /// Watches `base`, which will deliver `totalFrames` frames.
    public init(_ base: Base, totalFrames: Int, trap: SignalTrap, progress: ProgressBar) {
        self.base = base
        self.totalFrames = totalFrames
        self.trap = trap
        self.progress = progress
    }

    /// The base source's channel count.
    public var channels: Int { base.channels }
    /// The base source's sample rate.
    public var sampleRate: Int { base.sampleRate }

    /// Reads the next block from the base source, first checking for a signal.
    ///
    /// A base source that fails once a signal arrived (an ffmpeg child the signal killed)
    /// fails with ``ServiceError/interrupted(signal:)``.
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        try trap.check()
        let frames: Int
        do {
            frames = try base.read(into: buffer)
        } catch {
            try trap.check()
            throw error
        }
        var peak = self.peak
        for sample in buffer[..<(frames * base.channels)] {
            peak = max(peak, abs(Int(sample)))
        }
        self.peak = peak
        image?.add(UnsafeBufferPointer(rebasing: buffer[..<(frames * base.channels)]), channels: base.channels)
        framesRead += frames
        progress.update(done: framesRead, total: totalFrames)
        if frames == 0 { progress.finish() }
        return frames
    }

    /// The peak level in dBFS (full scale 32768); `-infinity` for silence.
    public var peakDBFS: Double {
        peak == 0 ? -.infinity : 20 * log10(Double(peak) / 32768)
    }
}
