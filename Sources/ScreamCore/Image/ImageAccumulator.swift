/// Collects what a preview image shows while the PCM streams past: the waveform envelope and
/// the spectrogram, each reduced to the image's pixel grid as the samples arrive.
///
/// Fed by ``MonitoredSource`` in the same pass that encodes the audio. All buffers are sized
/// in `init` from the total frame count, so feeding allocates nothing and memory does not
/// grow with the length of the scream.
public struct ImageAccumulator: Sendable {
    /// The min/max envelope per waveform column.
    public private(set) var waveform: Waveform
    /// The spectrogram levels per column and row.
    public private(set) var spectrogram: Spectrogram
    let layout: ImageLayout

    /// Prepares an image of `size` for `totalFrames` frames at `sampleRate`.
    public init(size: ImageSize, totalFrames: Int, sampleRate: Int) {
        layout = ImageLayout(size: size)
        waveform = Waveform(totalFrames: totalFrames, columns: layout.waveform.width)
        spectrogram = Spectrogram(
            totalSamples: totalFrames, sampleRate: sampleRate, columns: layout.spectrogram.width,
            rows: layout.spectrogram.height)
    }

    /// The duration shown, in seconds.
    public var duration: Double { Double(waveform.totalFrames) / Double(spectrogram.sampleRate) }

    /// Adds interleaved frames of 1 or 2 channels; the spectrogram sees their mean.
    public mutating func add(_ samples: UnsafeBufferPointer<Int16>, channels: Int) {
        waveform.add(samples, channels: channels)
        spectrogram.add(samples, channels: channels)
    }

    /// Completes the spectrogram's last frames; call once, after the last block.
    public mutating func finish() {
        spectrogram.finish()
    }
}
