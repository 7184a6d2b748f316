/// One encoded 20 ms frame.
public struct OpusPacket: Sendable {
    /// The Opus packet.
    public var bytes: ArraySlice<UInt8>
    /// Frames of real audio in it, per channel at the input rate; less than a full frame
    /// only for the zero-padded last packet.
    public var frames: Int
}

/// Pulls PCM from a source and encodes it into Opus packets, 20 ms at a time.
///
/// The last partial frame is zero-padded. A source with no audio at all still yields one
/// (silent) packet, so every stream has at least one. Buffers are allocated once.
public struct OpusPacketStream<Source: PCMSource> {
    /// The PCM being encoded.
    public private(set) var source: Source
    /// The encoder (its `preSkip` belongs in the Ogg header).
    public let encoder: OpusFrameEncoder
    /// Real frames (per channel) encoded so far, padding excluded.
    public private(set) var framesEncoded = 0
    private var pcm: [Int16]
    private var packet: [UInt8]
    private var state = State.running

    private enum State { case running, finished }

    /// Prepares to encode `source` at `bitrate` bits per second.
    public init(source: Source, bitrate: Int = 64000) throws(EncodingError) {
        self.encoder = try OpusFrameEncoder(
            sampleRate: source.sampleRate, channels: source.channels, bitrate: bitrate)
        self.source = source
        pcm = [Int16](repeating: 0, count: encoder.frameSize * encoder.channels)
        packet = [UInt8](repeating: 0, count: OpusFrameEncoder.maxPacketSize)
    }

    /// The next packet, or nil once the source is exhausted.
    ///
    /// Throws the source's errors and `EncodingError`.
    public mutating func next() throws -> OpusPacket? {
        guard state == .running else { return nil }
        let channels = encoder.channels
        let frameSize = encoder.frameSize
        var filled = 0
        try pcm.withUnsafeMutableBufferPointer { buffer in
            while filled < frameSize {
                let rest = UnsafeMutableBufferPointer(rebasing: buffer[(filled * channels)...])
                let got = try source.read(into: rest)
                if got == 0 { break }
                filled += got
            }
            if filled < frameSize {
                UnsafeMutableBufferPointer(rebasing: buffer[(filled * channels)...]).update(repeating: 0)
            }
        }
        if filled < frameSize {
            state = .finished
            if filled == 0 && framesEncoded > 0 { return nil }
        }
        let length = try Self.encode(pcm, into: &packet, with: encoder)
        framesEncoded += filled
        return OpusPacket(bytes: packet[..<length], frames: filled)
    }

    private static func encode(
        _ pcm: [Int16], into packet: inout [UInt8], with encoder: OpusFrameEncoder
    ) throws(EncodingError) -> Int {
        try pcm.withUnsafeBufferPointer { frame in
            packet.withUnsafeMutableBufferPointer { out in
                Result { () throws(EncodingError) in try encoder.encode(frame: frame, into: out) }
            }
        }.get()
    }
}
