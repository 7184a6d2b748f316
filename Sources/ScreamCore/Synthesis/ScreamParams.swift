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
        public var primaryScream: SweepJump
        public var harmonicSweep: HarmonicSweep
        public var highShriek: SweepJump
        public var noiseBurst: NoiseBurst
        public var backgroundNoise: BackgroundNoise

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
        public var baseFreq: Double
        public var freqRange: Double
        public var jumpRate: Double
        public var amplitude: Double
        public var rise: Double
        public var seed: Int64

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
        public var baseFreq: Double
        public var sweepRate: Double
        public var freqRange: Double
        public var jumpRate: Double
        public var amplitude: Double
        public var seed: Int64

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
    public struct NoiseBurst: Sendable, Equatable, Hashable {
        public var amplitude: Double
        public var seed: Int64

        public init(amplitude: Double, seed: Int64) {
            self.amplitude = amplitude
            self.seed = seed
        }
    }

    /// The constant noise floor layer.
    public struct BackgroundNoise: Sendable, Equatable, Hashable {
        public var amplitude: Double

        public init(amplitude: Double) {
            self.amplitude = amplitude
        }
    }

    /// The gated noise source shared by the two noise layers.
    public struct Noise: Sendable, Equatable, Hashable {
        public var burstRate: Double
        public var threshold: Double
        public var burstAmp: Double
        public var floorAmp: Double
        public var burstSeed: Int64

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
        public var highpassCutoff: Double
        public var lowpassCutoff: Double
        public var crusherBits: Int
        public var crusherMix: Double
        public var compRatio: Double
        /// Compressor threshold in dBFS.
        public var compThreshold: Double
        /// Compressor attack in milliseconds.
        public var compAttack: Double
        /// Compressor release in milliseconds.
        public var compRelease: Double
        public var volumeBoostDB: Double
        public var limiterLevel: Double

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
