/// One encoded 20 ms frame.
public struct OpusPacket: Sendable {
    /// The Opus packet.
    public var bytes: ArraySlice<UInt8>
    /// Frames of real audio in it, per channel at the input rate: a full frame except in the
    /// zero-padded tail (which may be 0 for the packets that flush the encoder's lookahead).
    public var frames: Int
}

/// Pulls PCM from a source and encodes it into Opus packets, 20 ms at a time.
///
/// After the source ends, zero-padded frames follow until the packets cover the audio plus
/// the encoder's lookahead, so a decoder that drops the pre-skip still gets every sample.
/// Buffers are allocated once.
public struct OpusPacketStream<Source: PCMSource> {
    /// The PCM being encoded.
    public private(set) var source: Source
    /// The encoder (its `preSkip` belongs in the Ogg header).
    public let encoder: OpusFrameEncoder
    /// Real frames (per channel) encoded so far, padding excluded.
    public private(set) var framesEncoded = 0
    /// Frames (per channel) handed to the encoder so far, padding included.
    public private(set) var framesSubmitted = 0
    private var pcm: [Int16]
    private var packet: [UInt8]
    private var state = State.reading

    private enum State { case reading, draining, finished }

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
        let channels = encoder.channels
        let frameSize = encoder.frameSize
        var filled = 0
        if state == .reading {
            try pcm.withUnsafeMutableBufferPointer { buffer in
                while filled < frameSize {
                    let got = try source.read(into: UnsafeMutableBufferPointer(rebasing: buffer[(filled * channels)...]))
                    if got == 0 { break }
                    filled += got
                }
            }
            if filled < frameSize { state = .draining }
        }
        if state == .draining {
            if filled == 0 && framesSubmitted >= framesEncoded + encoder.lookahead { state = .finished }
            pcm.withUnsafeMutableBufferPointer { UnsafeMutableBufferPointer(rebasing: $0[(filled * channels)...]).update(repeating: 0) }
        }
        guard state != .finished else { return nil }
        let length = try Self.encode(pcm, into: &packet, with: encoder)
        framesEncoded += filled
        framesSubmitted += frameSize
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
