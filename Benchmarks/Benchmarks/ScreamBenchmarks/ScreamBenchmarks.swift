import Benchmark
import ScreamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cases of the reference performance review, plus whole renders to Ogg Opus.
///
/// Per-sample cases run 1000 (the filter chain a million) samples an iteration and are
/// reported per sample (`scalingFactor`). The samples are summed and the sum kept
/// alive once per iteration, so the harness adds no call per sample.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, maxDuration: .seconds(2), maxIterations: 1000)
    let perSample = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, scalingFactor: .kilo)
    let classic = Preset.classic.params
    let rate = Double(classic.sampleRate)

    nonisolated(unsafe) let pcm = UnsafeMutableBufferPointer<Int16>.allocate(capacity: classic.sampleCount * classic.channels)
    Benchmark("Generator classic 3 s stereo") { _ in
        var generator = ScreamGenerator(params: classic)
        blackHole(generator.render(into: pcm))
    }

    Benchmark("Sweep-jump layer sample", configuration: perSample) { benchmark in
        var layer = SweepJumpLayer(classic.layers.primaryScream, seed: 4242, coprime: 137, sampleRate: 48000)
        var sum = 0.0
        for i in benchmark.scaledIterations { sum += layer.sample(at: Double(i) / rate) }
        blackHole(sum)
    }

    Benchmark("5-layer mix sample", configuration: perSample) { benchmark in
        var mix = LayerMix(classic)
        var sum = 0.0
        for i in benchmark.scaledIterations { sum += mix.sample(at: Double(i) / rate) }
        blackHole(sum)
    }

    // A million samples an iteration over one second of the mix, so the compressor's
    // attack from silence at the start of each iteration is a negligible share, as in a render.
    let mixed = Signals.mix(classic, frames: classic.sampleRate)
    var perSampleLong = perSample
    perSampleLong.scalingFactor = .mega
    Benchmark("Filter chain sample", configuration: perSampleLong) { benchmark in
        var chain = FilterChain(classic.filter, sampleRate: classic.sampleRate)
        var sum = 0.0
        var k = 0
        for _ in benchmark.scaledIterations {
            sum += chain.process(mixed[k])
            k = k + 1 == mixed.count ? 0 : k + 1
        }
        blackHole(sum)
    }

    Benchmark("Sine oscillator sample", configuration: perSample) { benchmark in
        var oscillator = Oscillator(sampleRate: 48000)
        var sum = 0.0
        for _ in benchmark.scaledIterations { sum += oscillator.sine(440) }
        blackHole(sum)
    }

    Benchmark("Saw oscillator sample", configuration: perSample) { benchmark in
        var oscillator = Oscillator(sampleRate: 48000)
        var sum = 0.0
        for _ in benchmark.scaledIterations { sum += oscillator.saw(440) }
        blackHole(sum)
    }

    let second = Signals.pcm(classic, seconds: 1)
    Benchmark("Opus encode 1 s stereo 48 kHz 64 kbps") { _ in
        let encoder = try OpusFrameEncoder(sampleRate: 48000, channels: 2, bitrate: 64000)
        var packet = [UInt8](repeating: 0, count: OpusFrameEncoder.maxPacketSize)
        let frame = encoder.frameSize * encoder.channels
        var bytes = 0
        try second.withUnsafeBufferPointer { pcm in
            try packet.withUnsafeMutableBufferPointer { out in
                for start in stride(from: 0, to: pcm.count, by: frame) {
                    bytes += try encoder.encode(frame: UnsafeBufferPointer(rebasing: pcm[start..<(start + frame)]), into: out)
                }
            }
        }
        blackHole(bytes)
    }

    let null = Signals.devNull()
    Benchmark("WAV 1 s stereo") { _ in
        var writer = try WAVWriter(sink: null, sampleRate: 48000, channels: 2, frameCount: second.count / 2)
        try second.withUnsafeBufferPointer { try writer.write($0) }
        try writer.finish()
    }

    let opus = try! Signals.packets(classic, count: 150)
    Benchmark("Ogg 150 frames") { _ in
        let writer = try OggOpusWriter(sink: null, channels: 2, inputSampleRate: 48000, preSkip: opus.preSkip, serial: 1)
        for packet in opus.packets { try writer.append(packet) }
        try writer.finish()
    }

    Benchmark("End to end classic 3 s to Ogg") { _ in
        blackHole(try OggOpusWriter.encode(ScreamGenerator(params: classic), to: null, serial: 1))
    }

    var minute = classic
    minute.duration = 60
    Benchmark(
        "End to end 60 s to Ogg",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 5)
    ) { _ in
        blackHole(try OggOpusWriter.encode(ScreamGenerator(params: minute), to: null, serial: 1))
    }
}

/// Inputs prepared once, outside the measured work.
enum Signals {
    /// `frames` samples of the 5-layer mix of `params`.
    static func mix(_ params: ScreamParams, frames: Int) -> [Double] {
        var mix = LayerMix(params)
        return (0..<frames).map { mix.sample(at: Double($0) / Double(params.sampleRate)) }
    }

    /// The first `seconds` of `params` rendered as interleaved PCM.
    static func pcm(_ params: ScreamParams, seconds: Int) -> [Int16] {
        var generator = ScreamGenerator(params: params)
        var pcm = [Int16](repeating: 0, count: seconds * params.sampleRate * params.channels)
        let frames = pcm.withUnsafeMutableBufferPointer { generator.render(into: $0) }
        return Array(pcm[..<(frames * params.channels)])
    }

    /// Every Opus packet of the first `count - 1` 20 ms frames of `params` (the last packet
    /// flushes the encoder's lookahead), and the stream's pre-skip.
    static func packets(_ params: ScreamParams, count: Int) throws -> (packets: [OpusPacket], preSkip: Int) {
        var short = params
        short.duration = Double(count - 1) / 50
        var stream = try OpusPacketStream(source: ScreamGenerator(params: short))
        var packets: [OpusPacket] = []
        while var packet = try stream.next() {
            packet.bytes = ArraySlice(Array(packet.bytes))
            packets.append(packet)
        }
        precondition(packets.count == count, "expected \(count) packets, got \(packets.count)")
        return (packets, stream.encoder.preSkip)
    }

    /// A sink that discards what it is given, so encoders are timed without disk I/O.
    static func devNull() -> ByteSink {
        ByteSink(fileDescriptor: open("/dev/null", O_WRONLY))
    }
}
