import Foundation

/// The exact ffmpeg invocation that renders one scream: a pure value computed from the params.
///
/// The five layers become one `aevalsrc` expression evaluated per sample in mono, followed by
/// ffmpeg's own filters (`highpass`, `lowpass`, `acrusher`, `acompressor`, `volume`,
/// `alimiter`), a `pan` that copies the mono signal to every output channel, and an `atrim`
/// that cuts exactly `params.sampleCount` frames. The output is raw s16le PCM on stdout.
///
/// The expression keeps each oscillator's phase in an ffmpeg variable slot (`st`/`ld`), so the
/// tones advance exactly like the native oscillators. Every pseudo-random value comes from an
/// expression-level hash, `mod(sin(x)*43758.5453,1)`, of the step, the layer seed and the
/// layer's coprime (or of the sample index for noise), never from ffmpeg's stateful
/// `random()`: the same params always give the same bytes. The hash differs from the native
/// `mix64`, so the two backends sound alike but do not match sample for sample.
public struct FFmpegCommand: Sendable, Equatable {
    /// The scream to render, with the user's volume and duration already applied.
    public let params: ScreamParams

    /// Creates the command for `params` (apply `applyingVolume(_:)` first for a user volume).
    public init(params: ScreamParams) {
        self.params = params
    }

    /// The arguments after the executable name, one element per argv entry (no shell involved).
    public var arguments: [String] {
        [
            "-hide_banner", "-nostdin", "-loglevel", "error",
            "-f", "lavfi", "-i", source,
            "-af", filterChain,
            "-f", "s16le", "-c:a", "pcm_s16le",
            "-ar", String(params.sampleRate), "-ac", String(params.channels),
            "pipe:1",
        ]
    }

    /// The command as one line for `--print-command`, shell-quoted for display only.
    ///
    /// - Parameter executable: the ffmpeg path to show first.
    public func commandLine(executable: String = "ffmpeg") -> String {
        ([executable] + arguments).map(Self.shellQuoted).joined(separator: " ")
    }

    /// The lavfi source: the `aevalsrc` expression in mono at the params' sample rate.
    public var source: String {
        "aevalsrc=exprs='\(expression)':s=\(params.sampleRate):c=mono"
    }

    /// The per-sample `aevalsrc` expression summing the five layers, clipped to -1...1.
    ///
    /// Variable slots: 0, 1, 2 hold the primary, harmonic and shriek oscillator phases,
    /// 3 holds the time `n/sampleRate`, 4 accumulates the layer sum.
    public var expression: String {
        let layers = params.layers
        let noise = params.noise
        let g = params.seed
        let burstSeed = Self.folded(noise.burstSeed ^ (g &* 1_000_081))
        let primary = layers.primaryScream
        let harmonic = layers.harmonicSweep
        let shriek = layers.highShriek
        let primarySeed = Self.folded(primary.seed ^ (g &* 1_000_003))
        let harmonicSeed = Self.folded(harmonic.seed ^ (g &* 1_000_033))
        let shriekSeed = Self.folded(shriek.seed ^ (g &* 1_000_037))

        let primaryJump = Self.seeded(seed: primarySeed, rate: primary.jumpRate, coprime: 137)
        let harmonicJump = Self.seeded(seed: harmonicSeed, rate: harmonic.jumpRate, coprime: 251)
        let shriekJump = Self.seeded(seed: shriekSeed, rate: shriek.jumpRate, coprime: 89)
        let gate = Self.seeded(seed: burstSeed, rate: noise.burstRate, coprime: 173)
        let burstNoise = Self.noise(multiplier: "78.233", seed: burstSeed)
        let floorNoise = Self.noise(multiplier: "39.3468", seed: burstSeed)

        let steps = [
            "st(3,n/\(params.sampleRate))",
            "st(4,\(f(primary.amplitude))*(1+\(f(primary.rise))*ld(3))*sin(2*PI*ld(0)))",
        ]
            + advance(slot: 0, frequency: "\(f(primary.baseFreq))+\(f(primary.freqRange))*\(primaryJump)")
            + ["st(4,ld(4)+\(f(harmonic.amplitude))*sin(2*PI*ld(1)))"]
            + advance(
                slot: 1,
                frequency: "\(f(harmonic.baseFreq))+\(f(harmonic.sweepRate))*ld(3)+\(f(harmonic.freqRange))*\(harmonicJump)")
            + ["st(4,ld(4)+\(f(shriek.amplitude))*(1+\(f(shriek.rise))*ld(3))*sin(2*PI*ld(2)))"]
            + advance(slot: 2, frequency: "\(f(shriek.baseFreq))+\(f(shriek.freqRange))*\(shriekJump)")
            + [
                "st(4,ld(4)+gt(\(gate),\(f(noise.threshold)))*\(f(noise.burstAmp))*(2*\(burstNoise)-1))",
                "clip(ld(4)+\(f(noise.floorAmp))*(2*\(floorNoise)-1),-1,1)",
            ]
        return steps.joined(separator: ";")
    }

    /// The filter chain after the source, as one `-af` argument.
    ///
    /// Values outside an ffmpeg filter's accepted range are clamped to it (e.g. the
    /// compressor threshold to -60...0 dB, the limiter level to at least 0.0625).
    /// `acrusher`'s `mix` is the dry share, so it gets `1 - crusherMix`; its anti-aliasing
    /// is the smallest that is safe (`aa=0` divides by zero on samples that sit on a step).
    /// The filters are single-pole, the compressor has a hard knee and peak detection, and
    /// the limiter does no auto-levelling and looks ahead only 0.1 ms (its minimum), so it
    /// acts as the native hard clamp does; no option newer than ffmpeg 4.x is used.
    public var filterChain: String {
        let filter = params.filter
        let threshold = Self.clamped(Self.linear(decibels: filter.compThreshold), 0.000976563, 1)
        var chain = [
            "highpass=f=\(f(filter.highpassCutoff)):p=1",
            "lowpass=f=\(f(filter.lowpassCutoff)):p=1",
            "acrusher=bits=\(filter.crusherBits):mix=\(f(1 - filter.crusherMix)):aa=0.001",
            "acompressor=threshold=\(f(threshold)):ratio=\(f(Self.clamped(filter.compRatio, 1, 20)))"
                + ":attack=\(f(Self.clamped(filter.compAttack, 0.01, 2000)))"
                + ":release=\(f(Self.clamped(filter.compRelease, 0.01, 9000))):knee=1:detection=peak",
            "volume=volume=\(f(filter.volumeBoostDB))dB:precision=double",
            "alimiter=limit=\(f(Self.clamped(filter.limiterLevel, 0.0625, 1))):attack=0.1:level=0",
        ]
        if params.channels > 1 {
            let copies = (0..<params.channels).map { "|c\($0)=c0" }.joined()
            chain.append("pan=\(params.channels == 2 ? "stereo" : "\(params.channels)c")\(copies)")
        }
        chain.append("atrim=end_sample=\(params.sampleCount)")
        return chain.joined(separator: ",")
    }

    /// The two expression steps that advance oscillator `slot` by `frequency` and wrap its phase.
    private func advance(slot: Int, frequency: String) -> [String] {
        [
            "st(\(slot),ld(\(slot))+(\(frequency))/\(params.sampleRate))",
            "st(\(slot),ld(\(slot))-gte(ld(\(slot)),1))",
        ]
    }

    private func f(_ value: Double) -> String { Self.number(value) }

    /// A value in [0, 1) drawn from (step, seed, coprime), with step = floor(t * rate).
    private static func seeded(seed: Int64, rate: Double, coprime: Int) -> String {
        "mod(sin((floor(ld(3)*\(number(rate)))*\(coprime)+\(seed))*12.9898)*43758.5453,1)"
    }

    /// A value in [0, 1) drawn per sample from the sample index `n`.
    private static func noise(multiplier: String, seed: Int64) -> String {
        "mod(sin(n*\(multiplier)+\(seed))*43758.5453,1)"
    }

    /// A seed reduced to 0..<1000003 so the hash argument keeps full precision in a double.
    static func folded(_ seed: Int64) -> Int64 {
        Int64(UInt64(bitPattern: seed) % 1_000_003)
    }

    private static func linear(decibels: Double) -> Double {
        pow(10, decibels / 20)
    }

    private static func clamped(_ value: Double, _ low: Double, _ high: Double) -> Double {
        min(max(value, low), high)
    }

    /// A locale-independent decimal: integers without a fraction, others in Swift's shortest
    /// round-trip form (which ffmpeg's parser reads back exactly).
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// `argument` wrapped in single quotes when it holds anything a POSIX shell would interpret.
    static func shellQuoted(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || "-_./:=,+@%".unicodeScalars.contains($0)
        }
        if plain { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
