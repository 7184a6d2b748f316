/// Anything that produces interleaved signed 16-bit PCM block by block.
///
/// Callers are generic over the source, so a block read is a direct call, never a
/// dynamic dispatch.
public protocol PCMSource {
    /// Samples per frame (1 or 2).
    var channels: Int { get }
    /// Frames per second.
    var sampleRate: Int { get }
    /// Fills `buffer` with as many whole interleaved frames as fit and remain.
    ///
    /// Returns the number of frames written; 0 means the source is exhausted.
    mutating func read(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int
}
