/// Takes a watched PCM source and does one job with it: encode it to a file, or count the
/// Opus packets a player would send.
protocol SourceConsumer {
    /// Reads `source` to its end.
    mutating func consume<Source: PCMSource>(_ source: inout MonitoredSource<Source>) throws
}

/// What a render produced.
public struct RenderStats: Sendable, Equatable {
    /// PCM frames rendered (per channel).
    public var frames: Int
    /// The peak level in dBFS.
    public var peakDBFS: Double
}

/// Runs the chosen synthesizer into a consumer; the one place a backend is picked.
enum Rendering {
    /// Renders `recipe` into `consumer`; `started` runs once the synthesizer is up.
    ///
    /// A given `image` is fed the same blocks as the consumer and comes back complete.
    /// A signal kills an ffmpeg child at once, so a read blocked on it ends and the render
    /// stops with ``ServiceError/interrupted(signal:)``.
    static func run<Consumer: SourceConsumer>(
        _ consumer: inout Consumer, recipe: ScreamRecipe, backend: Backend, trap: SignalTrap, progress: ProgressBar,
        image: inout ImageAccumulator?, started: () -> Void
    ) throws -> RenderStats {
        switch backend {
        case .native:
            let source = ScreamGenerator(params: recipe.params)
            started()
            return try feed(source, into: &consumer, totalFrames: recipe.params.sampleCount, trap: trap, progress: progress, image: &image)
        case .ffmpeg:
            let source = try FFmpegGenerator(params: recipe.params)
            return try trap.cancelling(with: source.cancel) {
                started()
                return try feed(
                    source, into: &consumer, totalFrames: recipe.params.sampleCount, trap: trap, progress: progress,
                    image: &image)
            }
        }
    }

    /// Reads `source` of `totalFrames` frames into `consumer`, watched, feeding `image` on the way.
    static func feed<Source: PCMSource, Consumer: SourceConsumer>(
        _ source: Source, into consumer: inout Consumer, totalFrames: Int, trap: SignalTrap, progress: ProgressBar,
        image: inout ImageAccumulator?
    ) throws -> RenderStats {
        var watched = MonitoredSource(source, totalFrames: totalFrames, trap: trap, progress: progress)
        watched.image = image.take()
        try consumer.consume(&watched)
        image = watched.image.take()
        image?.finish()
        return RenderStats(frames: watched.framesRead, peakDBFS: watched.peakDBFS)
    }
}

/// Writes the PCM as a WAV stream.
struct WAVConsumer: SourceConsumer {
    let sink: ByteSink
    let frameCount: Int

    mutating func consume<Source: PCMSource>(_ source: inout MonitoredSource<Source>) throws {
        var writer = try WAVWriter(sink: sink, sampleRate: source.sampleRate, channels: source.channels, frameCount: frameCount)
        // 16384 frames a write: a 64 KiB pipe buffer of stereo, and a few hundred system
        // calls a minute instead of one every 20 ms of audio.
        var block = [Int16](repeating: 0, count: 16384 * source.channels)
        try block.withUnsafeMutableBufferPointer { buffer in
            while case let frames = try source.read(into: buffer), frames > 0 {
                try writer.write(UnsafeBufferPointer(rebasing: buffer[..<(frames * source.channels)]))
            }
        }
        try writer.finish()
    }
}

/// Encodes the PCM into Opus packets, counting them and, given a sink, writing them as Ogg Opus.
struct OpusConsumer: SourceConsumer {
    let sink: ByteSink?
    let bitrate: Int
    /// The Ogg stream serial number.
    let serial: Int32
    /// Packets produced.
    private(set) var packets = 0
    /// Opus payload bytes produced.
    private(set) var bytes = 0

    /// A consumer for `params`' scream, whose Ogg serial number comes from the params so that
    /// the same scream gives the same bytes.
    init(sink: ByteSink?, bitrate: Int, params: ScreamParams) {
        self.sink = sink
        self.bitrate = bitrate
        serial = params.streamSerial
    }

    mutating func consume<Source: PCMSource>(_ source: inout MonitoredSource<Source>) throws {
        var stream = try OpusPacketStream(source: source, bitrate: bitrate)
        let writer = try sink.map {
            try OggOpusWriter(
                sink: $0, channels: source.channels, inputSampleRate: source.sampleRate, preSkip: stream.encoder.preSkip,
                serial: serial)
        }
        while let packet = try stream.next() {
            packets += 1
            bytes += packet.bytes.count
            try writer?.append(packet)
        }
        try writer?.finish()
        source = stream.source
    }
}
