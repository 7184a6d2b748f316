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
    /// One internal pass's scratch, on the stack: 256 frames. A pass runs the layers over the
    /// block, then the stateful filters, then the compressor gain, boost and limiter, so each
    /// stage's independent per-sample work can overlap in the CPU.
    typealias Pass = InlineArray<256, Double>

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
        var samples = Pass(repeating: 0)
        var envelopes = Pass(repeating: 0)
        var out = base
        var done = 0
        while done < frames {
            let count = Swift.min(samples.count, frames - done)
            let first = framesRendered + done
            for k in 0..<count {
                samples[k] = layers.sample(at: Double(first + k) / rate)
            }
            for k in 0..<count {
                (samples[k], envelopes[k]) = filters.shape(samples[k])
            }
            if channels == 2 {
                for k in 0..<count {
                    let sample = Self.pcm16(filters.finish(samples[k], envelope: envelopes[k]))
                    out[2 * k] = sample
                    out[2 * k + 1] = sample
                }
            } else {
                for k in 0..<count {
                    out[k] = Self.pcm16(filters.finish(samples[k], envelope: envelopes[k]))
                }
            }
            out += count * channels
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
