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

    /// One internal pass's working memory, on the stack: the block, its envelopes and the
    /// layers' scratch rows. A pass renders the layers over the block in vector lanes, then
    /// runs the stateful filters, then the compressor gain, boost and limiter, so each
    /// stage's independent per-sample work can overlap in the CPU.
    typealias Pass = InlineArray<2048, Double>

    /// Fills `buffer` with as many whole interleaved frames as fit and remain.
    ///
    /// Returns the number of frames written; 0 once the scream is complete.
    public mutating func render(into buffer: UnsafeMutableBufferPointer<Int16>) -> Int {
        let frames = Swift.min(buffer.count / channels, framesRemaining)
        guard frames > 0, let base = buffer.baseAddress else { return 0 }
        var pass = Pass(repeating: 0)
        var memory = pass.mutableSpan
        memory.withUnsafeMutableBufferPointer { memory in
            let block = LayerMix.blockCapacity
            let samples = memory.baseAddress!, envelopes = samples + block, scratch = envelopes + block
            var out = base
            var done = 0
            while done < frames {
                let count = Swift.min(block, frames - done)
                layers.render(first: framesRendered + done, count: count, into: samples, scratch: scratch)
                filters.shape(samples, envelopes: envelopes, count: count)
                filters.finish(samples, envelopes: envelopes, count: count)
                Self.store(samples, count: count, channels: channels, into: out)
                out += count * channels
                done += count
            }
        }
        framesRendered += frames
        return frames
    }

    /// The `PCMSource` view of `render(into:)`; never throws.
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Int16>) -> Int {
        render(into: buffer)
    }

    /// Writes `count` limited samples to `out` as PCM, `channels` copies of each, four at a time.
    @inlinable
    static func store(_ samples: UnsafePointer<Double>, count: Int, channels: Int, into out: UnsafeMutablePointer<Int16>) {
        let whole = count & ~3
        let source = UnsafeRawPointer(samples), target = UnsafeMutableRawPointer(out)
        if channels == 2 {
            for k in stride(from: 0, to: whole, by: 4) {
                let pcm = pcm16Bits(source.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self))
                let frames = SIMD4<UInt32>(truncatingIfNeeded: pcm | (pcm &<< 16))
                target.storeBytes(of: frames, toByteOffset: 4 * k, as: SIMD4<UInt32>.self)
            }
            for k in whole..<count {
                let sample = pcm16(samples[k])
                out[2 * k] = sample
                out[2 * k + 1] = sample
            }
        } else {
            for k in stride(from: 0, to: whole, by: 4) {
                let pcm = pcm16Bits(source.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self))
                target.storeBytes(of: SIMD4<UInt16>(truncatingIfNeeded: pcm), toByteOffset: 2 * k, as: SIMD4<UInt16>.self)
            }
            for k in whole..<count { out[k] = pcm16(samples[k]) }
        }
    }

    /// `pcm16` in each lane, for finite samples, as the 16-bit pattern in the low bits of
    /// each lane (the rest zero).
    ///
    /// `sign(s)·floor(|s| + 0.5)` is what `pcm16` computes; the floor is the nearest integer
    /// (by adding and taking off `1.5 · 2^52`) less one where that rounded up, and the
    /// integer then sits in the low mantissa bits of the sum with `1.5 · 2^52`.
    @inlinable
    static func pcm16Bits(_ y: SIMD4<Double>) -> SIMD4<UInt64> {
        var scaled = y * 32767
        scaled.replace(with: -32768, where: scaled .< -32768)
        scaled.replace(with: 32767, where: scaled .> 32767)
        let half = FastMath.magnitude(scaled) + 0.5
        let nearest = (half + FastMath.roundingMagic) - FastMath.roundingMagic
        let floored = nearest.replacing(with: nearest - 1, where: nearest .> half)
        let signed = floored.replacing(with: -floored, where: scaled .< 0)
        return unsafeBitCast(signed + FastMath.roundingMagic, to: SIMD4<UInt64>.self) & 0xffff
    }

    /// `Int16(round_half_away_from_zero(clamp(y * 32767, -32768, 32767)))`, rounding as
    /// design §3's `floor(|s| + 0.5)` does (NaN gives 0).
    @inlinable
    public static func pcm16(_ y: Double) -> Int16 {
        let scaled = y * 32767
        guard scaled > -32768 else { return scaled.isNaN ? 0 : -32768 }
        guard scaled < 32767 else { return 32767 }
        return Int16(scaled + (scaled < 0 ? -0.5 : 0.5))
    }
}
