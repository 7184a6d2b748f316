/// Every number that shapes one scream: the five layers, the noise source and the
/// filter chain, plus the output format. Same params and same seed give the same samples.
public struct ScreamParams: Sendable, Equatable, Hashable {
    /// Length of the scream in seconds.
    public var duration: Double
    /// Output sample rate in Hz.
    public var sampleRate: Int
    /// Output channel count (1 or 2); stereo carries the same sample on both channels.
    public var channels: Int
    /// Global seed mixed into every layer seed (0 leaves the layer seeds unchanged).
    public var seed: Int64
    /// The five synthesis layers.
    public var layers: Layers
    /// The gated noise source.
    public var noise: Noise
    /// The six-stage filter chain.
    public var filter: Filter

    /// Creates parameters from their parts.
    public init(
        duration: Double, sampleRate: Int = 48_000, channels: Int = 2, seed: Int64 = 0,
        layers: Layers, noise: Noise, filter: Filter
    ) {
        self.duration = duration
        self.sampleRate = sampleRate
        self.channels = channels
        self.seed = seed
        self.layers = layers
        self.noise = noise
        self.filter = filter
    }

    /// Number of samples per channel: `Int(duration * sampleRate)`, truncated.
    public var sampleCount: Int { Int(duration * Double(sampleRate)) }
}

extension ScreamParams {
    /// The three tonal layers and two noise layers.
    public struct Layers: Sendable, Equatable, Hashable {
        /// The main scream (coprime 137).
        public var primaryScream: SweepJump
        /// The rising harmonic under it (coprime 251).
        public var harmonicSweep: HarmonicSweep
        /// The piercing top voice (coprime 89).
        public var highShriek: SweepJump
        /// The gated noise layer.
        public var noiseBurst: NoiseBurst
        /// The constant noise floor.
        public var backgroundNoise: BackgroundNoise

        /// Creates the value from its fields.
        public init(
            primaryScream: SweepJump, harmonicSweep: HarmonicSweep, highShriek: SweepJump,
            noiseBurst: NoiseBurst, backgroundNoise: BackgroundNoise
        ) {
            self.primaryScream = primaryScream
            self.harmonicSweep = harmonicSweep
            self.highShriek = highShriek
            self.noiseBurst = noiseBurst
            self.backgroundNoise = backgroundNoise
        }
    }

    /// A tone that jumps to a seeded frequency `jumpRate` times a second and rises in level.
    public struct SweepJump: Sendable, Equatable, Hashable {
        /// Lowest frequency in Hz.
        public var baseFreq: Double
        /// Span in Hz that a seeded jump can add to the base.
        public var freqRange: Double
        /// Jumps per second.
        public var jumpRate: Double
        /// Peak level, 0...1.
        public var amplitude: Double
        /// Level growth per second: the level is scaled by `1 + rise * t`.
        public var rise: Double
        /// Seed for the jumps (mixed with the global seed).
        public var seed: Int64

        /// Creates the value from its fields.
        public init(baseFreq: Double, freqRange: Double, jumpRate: Double, amplitude: Double, rise: Double, seed: Int64) {
            self.baseFreq = baseFreq
            self.freqRange = freqRange
            self.jumpRate = jumpRate
            self.amplitude = amplitude
            self.rise = rise
            self.seed = seed
        }
    }

    /// A tone sweeping up at `sweepRate` Hz per second with seeded jumps on top.
    public struct HarmonicSweep: Sendable, Equatable, Hashable {
        /// Lowest frequency in Hz.
        public var baseFreq: Double
        /// Frequency rise in Hz per second.
        public var sweepRate: Double
        /// Span in Hz that a seeded jump can add to the base.
        public var freqRange: Double
        /// Jumps per second.
        public var jumpRate: Double
        /// Peak level, 0...1.
        public var amplitude: Double
        /// Seed for the jumps (mixed with the global seed).
        public var seed: Int64

        /// Creates the value from its fields.
        public init(baseFreq: Double, sweepRate: Double, freqRange: Double, jumpRate: Double, amplitude: Double, seed: Int64) {
            self.baseFreq = baseFreq
            self.sweepRate = sweepRate
            self.freqRange = freqRange
            self.jumpRate = jumpRate
            self.amplitude = amplitude
            self.seed = seed
        }
    }

    /// The gated noise layer's own amplitude and seed.
    ///
    /// Design §3 renders the burst from `noise.burstAmp` and `noise.burstSeed`; these two
    /// are carried (and validated) so parameter files round-trip, as is the background
    /// layer's amplitude next to `noise.floorAmp`.
    public struct NoiseBurst: Sendable, Equatable, Hashable {
        /// Peak level, 0...1.
        public var amplitude: Double
        /// Seed for the jumps (mixed with the global seed).
        public var seed: Int64

        /// Creates the value from its fields.
        public init(amplitude: Double, seed: Int64) {
            self.amplitude = amplitude
            self.seed = seed
        }
    }

    /// The constant noise floor layer.
    public struct BackgroundNoise: Sendable, Equatable, Hashable {
        /// Peak level, 0...1.
        public var amplitude: Double

        /// Creates the value from its fields.
        public init(amplitude: Double) {
            self.amplitude = amplitude
        }
    }

    /// The gated noise source shared by the two noise layers.
    public struct Noise: Sendable, Equatable, Hashable {
        /// Gate decisions per second.
        public var burstRate: Double
        /// The gate opens when the seeded hash exceeds this (0...1).
        public var threshold: Double
        /// Level of the noise while the gate is open, 0...1.
        public var burstAmp: Double
        /// Level of the constant noise floor, 0...1.
        public var floorAmp: Double
        /// Seed for the gate and both noise generators (mixed with the global seed).
        public var burstSeed: Int64

        /// Creates the value from its fields.
        public init(burstRate: Double, threshold: Double, burstAmp: Double, floorAmp: Double, burstSeed: Int64) {
            self.burstRate = burstRate
            self.threshold = threshold
            self.burstAmp = burstAmp
            self.floorAmp = floorAmp
            self.burstSeed = burstSeed
        }
    }

    /// The filter chain: high-pass, low-pass, bitcrusher, compressor, volume boost, limiter.
    public struct Filter: Sendable, Equatable, Hashable {
        /// High-pass cutoff in Hz (0 passes everything).
        public var highpassCutoff: Double
        /// Low-pass cutoff in Hz.
        public var lowpassCutoff: Double
        /// Bitcrusher resolution, 1...16 bits.
        public var crusherBits: Int
        /// Share of the crushed signal in the bitcrusher output, 0...1.
        public var crusherMix: Double
        /// Compression ratio above the threshold.
        public var compRatio: Double
        /// Compressor threshold in dBFS.
        public var compThreshold: Double
        /// Compressor attack in milliseconds.
        public var compAttack: Double
        /// Compressor release in milliseconds.
        public var compRelease: Double
        /// Gain after the compressor, in dB.
        public var volumeBoostDB: Double
        /// Hard clip level, in (0, 1].
        public var limiterLevel: Double

        /// Creates the value from its fields.
        public init(
            highpassCutoff: Double, lowpassCutoff: Double, crusherBits: Int, crusherMix: Double,
            compRatio: Double, compThreshold: Double = -20, compAttack: Double = 5, compRelease: Double = 50,
            volumeBoostDB: Double, limiterLevel: Double = 0.95
        ) {
            self.highpassCutoff = highpassCutoff
            self.lowpassCutoff = lowpassCutoff
            self.crusherBits = crusherBits
            self.crusherMix = crusherMix
            self.compRatio = compRatio
            self.compThreshold = compThreshold
            self.compAttack = compAttack
            self.compRelease = compRelease
            self.volumeBoostDB = volumeBoostDB
            self.limiterLevel = limiterLevel
        }
    }
}
