/// The named screams that ship with `scream`.
public enum Preset: String, CaseIterable, Sendable {
    case classic
    case whisper
    case deathMetal = "death-metal"
    case glitch
    case banshee
    case robot

    /// A few words on the preset's character, for `scream presets`.
    public var summary: String {
        switch self {
        case .classic: "the all-round horror-movie scream"
        case .whisper: "a thin, breathy, distant wail"
        case .deathMetal: "a low, long, heavily crushed growl"
        case .glitch: "jittery, fast-jumping digital shrieks"
        case .banshee: "a long, rising, piercing howl"
        case .robot: "a crunchy, stepped, synthetic cry"
        }
    }

    /// The preset's full parameters (48 kHz stereo, global seed 0).
    public var params: ScreamParams {
        switch self {
        case .classic:
            Self.make(
                duration: 3,
                primary: (500, 1500, 10, 0.4, 1.2, 4242),
                harmonic: (350, 500, 800, 6, 0.25, 3000),
                shriek: (1200, 1600, 20, 0.25, 2.5, 7000),
                burst: (0.18, 4000), floor: 0.1,
                noise: (8, 0.7, 0.18, 0.1, 4000),
                filter: (120, 8000, 8, 0.5, 8, 9))
        case .whisper:
            Self.make(
                duration: 2,
                primary: (300, 500, 5, 0.15, 0.3, 1111),
                harmonic: (200, 150, 300, 3, 0.1, 2222),
                shriek: (900, 400, 8, 0.08, 0.5, 3333),
                burst: (0.05, 4444), floor: 0.12,
                noise: (3, 0.85, 0.05, 0.12, 4444),
                filter: (200, 6000, 12, 0.2, 4, 6))
        case .deathMetal:
            Self.make(
                duration: 4,
                primary: (150, 800, 15, 0.5, 2.0, 6660),
                harmonic: (100, 200, 600, 10, 0.3, 6661),
                shriek: (600, 2400, 25, 0.3, 3.0, 6662),
                burst: (0.25, 6663), floor: 0.15,
                noise: (12, 0.5, 0.25, 0.15, 6663),
                filter: (80, 12000, 6, 0.7, 12, 12))
        case .glitch:
            Self.make(
                duration: 3,
                primary: (700, 2500, 15, 0.35, 0.5, 1337),
                harmonic: (500, 900, 1200, 10, 0.2, 1338),
                shriek: (1800, 2400, 25, 0.2, 1.0, 1339),
                burst: (0.22, 1340), floor: 0.05,
                noise: (12, 0.5, 0.22, 0.05, 1340),
                filter: (100, 10000, 6, 0.7, 6, 8))
        case .banshee:
            Self.make(
                duration: 4,
                primary: (600, 2000, 8, 0.45, 2.0, 9001),
                harmonic: (400, 800, 1000, 5, 0.25, 9002),
                shriek: (1500, 2400, 12, 0.3, 3.0, 9003),
                burst: (0.1, 9004), floor: 0.08,
                noise: (5, 0.8, 0.1, 0.08, 9004),
                filter: (150, 11000, 10, 0.4, 6, 10))
        case .robot:
            Self.make(
                duration: 3,
                primary: (400, 1000, 12, 0.4, 0.5, 8080),
                harmonic: (300, 600, 500, 8, 0.2, 8081),
                shriek: (1000, 1200, 20, 0.2, 1.0, 8082),
                burst: (0.15, 8083), floor: 0.07,
                noise: (10, 0.6, 0.15, 0.07, 8083),
                filter: (100, 7000, 6, 0.65, 10, 8))
        }
    }

    private static func make(
        duration: Double,
        primary p: (Double, Double, Double, Double, Double, Int64),
        harmonic h: (Double, Double, Double, Double, Double, Int64),
        shriek s: (Double, Double, Double, Double, Double, Int64),
        burst b: (Double, Int64), floor: Double,
        noise n: (Double, Double, Double, Double, Int64),
        filter f: (Double, Double, Int, Double, Double, Double)
    ) -> ScreamParams {
        ScreamParams(
            duration: duration,
            layers: .init(
                primaryScream: .init(baseFreq: p.0, freqRange: p.1, jumpRate: p.2, amplitude: p.3, rise: p.4, seed: p.5),
                harmonicSweep: .init(baseFreq: h.0, sweepRate: h.1, freqRange: h.2, jumpRate: h.3, amplitude: h.4, seed: h.5),
                highShriek: .init(baseFreq: s.0, freqRange: s.1, jumpRate: s.2, amplitude: s.3, rise: s.4, seed: s.5),
                noiseBurst: .init(amplitude: b.0, seed: b.1),
                backgroundNoise: .init(amplitude: floor)),
            noise: .init(burstRate: n.0, threshold: n.1, burstAmp: n.2, floorAmp: n.3, burstSeed: n.4),
            filter: .init(
                highpassCutoff: f.0, lowpassCutoff: f.1, crusherBits: f.2, crusherMix: f.3,
                compRatio: f.4, volumeBoostDB: f.5))
    }
}
