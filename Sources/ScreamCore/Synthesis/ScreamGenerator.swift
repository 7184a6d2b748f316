/// The native synthesizer: renders a scream block by block, exactly per design §3.
///
/// All state is set up in `init`; rendering allocates nothing, and the output does not
/// depend on how the caller slices it into blocks.
public struct ScreamGenerator: PCMSource, Sendable {
    /// Samples per frame; stereo carries the same sample on both channels.
    public let channels: Int
    /// Frames per second.
    public let sampleRate: Int
    /// Frames in the whole scream: `Int(duration * sampleRate)`.
    public let totalFrames: Int
    /// Frames rendered so far.
    public private(set) var framesRendered = 0
    var layers: LayerMix
    var filters: FilterChain

    /// Sets up the layers and filters for `params`, which should have passed `validate()`.
    public init(params: ScreamParams) {
        channels = params.channels
        sampleRate = params.sampleRate
        totalFrames = params.sampleCount
        layers = LayerMix(params)
        filters = FilterChain(params.filter, sampleRate: params.sampleRate)
    }

    /// Frames still to come.
    public var framesRemaining: Int { totalFrames - framesRendered }

    /// Fills `buffer` with as many whole interleaved frames as fit and remain.
    ///
    /// Returns the number of frames written; 0 once the scream is complete.
    public mutating func render(into buffer: UnsafeMutableBufferPointer<Int16>) -> Int {
        let frames = Swift.min(buffer.count / channels, framesRemaining)
        guard frames > 0, let base = buffer.baseAddress else { return 0 }
        let rate = Double(sampleRate)
        var out = base
        for index in framesRendered..<(framesRendered + frames) {
            let t = Double(index) / rate
            let sample = Self.pcm16(filters.process(layers.sample(at: t)))
            for _ in 0..<channels {
                out.pointee = sample
                out += 1
            }
        }
        framesRendered += frames
        return frames
    }

    /// The `PCMSource` view of `render(into:)`; never throws.
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Int16>) -> Int {
        render(into: buffer)
    }

    /// `Int16(round_half_away_from_zero(clamp(y * 32767, -32768, 32767)))`.
    @inlinable
    public static func pcm16(_ y: Double) -> Int16 {
        let scaled = y * 32767
        guard scaled > -32768 else { return scaled.isNaN ? 0 : -32768 }
        guard scaled < 32767 else { return 32767 }
        let whole = Int32(scaled)
        let fraction = scaled - Double(whole)
        return Int16(fraction >= 0.5 ? whole + 1 : (fraction <= -0.5 ? whole - 1 : whole))
    }
}
