/// A step between the Opus encoder and the RTP packetizer; DAVE frame encryption plugs in here.
public protocol OpusFrameTransform: Sendable {
    /// Writes the frame to put on the wire for `frame` into `output`.
    mutating func transform(_ frame: [UInt8], into output: inout [UInt8]) throws
}

/// Passes Opus packets through unchanged: transport encryption only.
public struct PassthroughFrameTransform: OpusFrameTransform {
    /// The identity transform.
    public init() {}

    /// Copies `frame` into `output`.
    public func transform(_ frame: [UInt8], into output: inout [UInt8]) {
        output = frame
    }
}
