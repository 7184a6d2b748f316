/// Opus packets for the voice sender, each encoded only when the sender asks for it.
///
/// A cancelled task ends the sequence, so a player stops within one frame.
public struct OpusPacketSequence<Source: PCMSource>: AsyncSequence, AsyncIteratorProtocol {
    public typealias Element = [UInt8]
    public typealias Failure = any Error

    private var stream: OpusPacketStream<Source>
    /// Packets the whole source yields: its `frames` plus the encoder's lookahead, in 20 ms frames.
    public let frameCount: Int

    /// Prepares to encode `source`, which delivers `frames` frames, at `bitrate` bits per second.
    public init(source: Source, frames: Int, bitrate: Int) throws {
        stream = try OpusPacketStream(source: source, bitrate: bitrate)
        let encoder = stream.encoder
        frameCount = (frames + encoder.lookahead + encoder.frameSize - 1) / encoder.frameSize
    }

    /// The sequence is its own iterator.
    public func makeAsyncIterator() -> Self { self }

    /// The next packet, encoded now; `nil` at the end or once the task is cancelled.
    public mutating func next(isolation actor: isolated (any Actor)?) async throws -> [UInt8]? {
        try nextPacket()
    }

    /// The next packet, encoded now; `nil` at the end or once the task is cancelled.
    public mutating func next() async throws -> [UInt8]? {
        try nextPacket()
    }

    private mutating func nextPacket() throws -> [UInt8]? {
        guard !Task.isCancelled else { return nil }
        return try stream.next().map { Array($0.bytes) }
    }
}
