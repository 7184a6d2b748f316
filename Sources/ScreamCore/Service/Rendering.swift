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
    static func run<Consumer: SourceConsumer>(
        _ consumer: inout Consumer, recipe: ScreamRecipe, backend: Backend, trap: SignalTrap, progress: ProgressBar,
        started: () -> Void
    ) throws -> RenderStats {
        switch backend {
        case .native:
            let source = ScreamGenerator(params: recipe.params)
            started()
            return try feed(source, into: &consumer, recipe: recipe, trap: trap, progress: progress)
        case .ffmpeg:
            let source = try FFmpegGenerator(params: recipe.params)
            started()
            return try feed(source, into: &consumer, recipe: recipe, trap: trap, progress: progress)
        }
    }

    private static func feed<Source: PCMSource, Consumer: SourceConsumer>(
        _ source: Source, into consumer: inout Consumer, recipe: ScreamRecipe, trap: SignalTrap, progress: ProgressBar
    ) throws -> RenderStats {
        var watched = MonitoredSource(source, totalFrames: recipe.params.sampleCount, trap: trap, progress: progress)
        try consumer.consume(&watched)
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
    /// Packets produced.
    private(set) var packets = 0
    /// Opus payload bytes produced.
    private(set) var bytes = 0

    init(sink: ByteSink?, bitrate: Int) {
        self.sink = sink
        self.bitrate = bitrate
    }

    mutating func consume<Source: PCMSource>(_ source: inout MonitoredSource<Source>) throws {
        var stream = try OpusPacketStream(source: source, bitrate: bitrate)
        let writer = try sink.map {
            try OggOpusWriter(
                sink: $0, channels: source.channels, inputSampleRate: source.sampleRate, preSkip: stream.encoder.preSkip)
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
