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
    /// Per-pass scratch: the mixed, then shaped, samples and the compressor envelopes.
    var samples: [Double]
    var envelopes: [Double]
    /// Frames per internal pass. A pass runs the layers over the block, then the stateful
    /// filters, then the stateless tail, so each stage's independent per-sample work can
    /// overlap in the CPU; the arithmetic per sample is unchanged.
    static let passFrames = 256

    /// Sets up the layers and filters for `params`, which should have passed `validate()`.
    public init(params: ScreamParams) {
        channels = params.channels
        sampleRate = params.sampleRate
        totalFrames = params.sampleCount
        layers = LayerMix(params)
        filters = FilterChain(params.filter, sampleRate: params.sampleRate)
        samples = [Double](repeating: 0, count: Self.passFrames)
        envelopes = [Double](repeating: 0, count: Self.passFrames)
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
        var done = 0
        while done < frames {
            let count = Swift.min(Self.passFrames, frames - done)
            let first = framesRendered + done
            for k in 0..<count {
                samples[k] = layers.sample(at: Double(first + k) / rate)
            }
            for k in 0..<count {
                (samples[k], envelopes[k]) = filters.shape(samples[k])
            }
            for k in 0..<count {
                let sample = Self.pcm16(filters.finish(samples[k], envelope: envelopes[k]))
                for _ in 0..<channels {
                    out.pointee = sample
                    out += 1
                }
            }
            done += count
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
