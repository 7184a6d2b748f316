/// Writes 16-bit PCM as a WAV file whose sizes are fixed up front, so it can stream to a pipe.
public struct WAVWriter {
    /// Frames the header announces.
    public let frameCount: Int
    /// Samples per frame.
    public let channels: Int
    /// Frames written so far.
    public private(set) var framesWritten = 0
    private let sink: ByteSink

    /// Writes the 44-byte header for `frameCount` frames to `sink`.
    public init(sink: ByteSink, sampleRate: Int, channels: Int, frameCount: Int) throws(EncodingError) {
        guard channels == 1 || channels == 2 else { throw .unsupportedChannels(channels) }
        guard frameCount * channels * 2 <= Int(UInt32.max) - 36 else { throw .wavTooLong(frames: frameCount) }
        self.sink = sink
        self.channels = channels
        self.frameCount = frameCount
        try sink.write(Self.header(sampleRate: sampleRate, channels: channels, frameCount: frameCount))
    }

    /// Appends interleaved samples (whole frames) as little-endian PCM.
    public mutating func write(_ samples: UnsafeBufferPointer<Int16>) throws(EncodingError) {
        #if _endian(big)
        #error("WAVWriter writes host-order samples and needs a little-endian host")
        #endif
        try sink.write(UnsafeRawBufferPointer(samples))
        framesWritten += samples.count / channels
    }

    /// Checks that exactly the announced number of frames arrived.
    public func finish() throws(EncodingError) {
        guard framesWritten == frameCount else {
            throw .wavFrameCountMismatch(expected: frameCount, actual: framesWritten)
        }
    }

    /// The canonical 44-byte header: RIFF/WAVE, a 16-byte `fmt ` chunk (PCM, 16-bit), `data`.
    public static func header(sampleRate: Int, channels: Int, frameCount: Int) -> [UInt8] {
        let dataSize = UInt32(frameCount * channels * 2)
        var bytes = Array("RIFF".utf8)
        bytes.appendLittleEndian(36 + dataSize)
        bytes.append(contentsOf: "WAVEfmt ".utf8)
        bytes.appendLittleEndian(UInt32(16))
        bytes.appendLittleEndian(UInt16(1))
        bytes.appendLittleEndian(UInt16(channels))
        bytes.appendLittleEndian(UInt32(sampleRate))
        bytes.appendLittleEndian(UInt32(sampleRate * channels * 2))
        bytes.appendLittleEndian(UInt16(channels * 2))
        bytes.appendLittleEndian(UInt16(16))
        bytes.append(contentsOf: "data".utf8)
        bytes.appendLittleEndian(dataSize)
        return bytes
    }

    /// Writes all of `source` as a WAV stream of `frameCount` frames to `sink`, block by block.
    public static func encode<Source: PCMSource>(
        _ source: Source, frameCount: Int, to sink: ByteSink, blockFrames: Int = 960
    ) throws {
        var source = source
        var writer = try WAVWriter(
            sink: sink, sampleRate: source.sampleRate, channels: source.channels, frameCount: frameCount)
        var block = [Int16](repeating: 0, count: blockFrames * source.channels)
        try block.withUnsafeMutableBufferPointer { buffer in
            while true {
                let frames = try source.read(into: buffer)
                if frames == 0 { break }
                try writer.write(UnsafeBufferPointer(rebasing: buffer[..<(frames * source.channels)]))
            }
        }
        try writer.finish()
    }
}
