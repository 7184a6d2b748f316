import COpus

/// A libopus encoder for 20 ms frames (application audio).
public final class OpusFrameEncoder {
    /// The sample rates Opus accepts.
    public static let supportedSampleRates = [8000, 12000, 16000, 24000, 48000]
    /// Room for the largest packet one frame can produce.
    public static let maxPacketSize = 4000

    /// Input frames per second.
    public let sampleRate: Int
    /// Samples per frame (1 or 2).
    public let channels: Int
    /// Target bitrate in bits per second.
    public let bitrate: Int
    /// Frames per 20 ms packet at `sampleRate` (960 at 48 kHz).
    public let frameSize: Int
    /// The encoder's delay (`OPUS_GET_LOOKAHEAD`) in frames at `sampleRate`.
    public let lookahead: Int
    private let encoder: OpaquePointer

    /// Creates an encoder; fails for rates, channel counts or bitrates Opus does not take.
    public init(sampleRate: Int = 48000, channels: Int, bitrate: Int = 64000) throws(EncodingError) {
        guard Self.supportedSampleRates.contains(sampleRate) else { throw .unsupportedSampleRate(sampleRate) }
        guard channels == 1 || channels == 2 else { throw .unsupportedChannels(channels) }
        guard (6000...510_000).contains(bitrate) else { throw .unsupportedBitrate(bitrate) }
        var status: Int32 = 0
        guard let encoder = opus_encoder_create(Int32(sampleRate), Int32(channels), OPUS_APPLICATION_AUDIO, &status),
            status == OPUS_OK
        else { throw .opus(Self.message(status)) }
        self.encoder = encoder
        status = scream_opus_set_bitrate(encoder, Int32(bitrate))
        var lookahead: Int32 = 0
        if status == OPUS_OK { status = scream_opus_get_lookahead(encoder, &lookahead) }
        guard status == OPUS_OK else {
            opus_encoder_destroy(encoder)
            throw .opus(Self.message(status))
        }
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitrate = bitrate
        self.frameSize = sampleRate / 50
        self.lookahead = Int(lookahead)
    }

    deinit {
        opus_encoder_destroy(encoder)
    }

    /// The lookahead in 48 kHz samples: the Ogg Opus pre-skip.
    public var preSkip: Int { lookahead * (48000 / sampleRate) }

    /// Encodes one whole frame (`frameSize × channels` interleaved samples) into `packet`.
    ///
    /// Returns the packet length in bytes.
    public func encode(
        frame: UnsafeBufferPointer<Int16>, into packet: UnsafeMutableBufferPointer<UInt8>
    ) throws(EncodingError) -> Int {
        precondition(frame.count == frameSize * channels, "an Opus frame must hold exactly 20 ms")
        let length = opus_encode(
            encoder, frame.baseAddress!, Int32(frameSize), packet.baseAddress!, Int32(packet.count))
        guard length >= 0 else { throw .opus(Self.message(length)) }
        return Int(length)
    }

    private static func message(_ status: Int32) -> String {
        String(cString: opus_strerror(status))
    }
}
