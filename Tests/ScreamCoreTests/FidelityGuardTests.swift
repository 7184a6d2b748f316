import Foundation
import Testing
@testable import ScreamCore

/// A plain, deliberately unoptimised transcription of design §3, one sample at a time,
/// with Foundation math. The generator may compute faster, but must stay this close to it.
enum ReferenceScream {
    static func mix64(_ input: UInt64) -> Double {
        var x = input
        x = (x ^ (x >> 30)) &* 0xbf58476d1ce4e5b9
        x = (x ^ (x >> 27)) &* 0x94d049bb133111eb
        x = x ^ (x >> 31)
        return Double(x >> 11) / pow(2, 53)
    }

    static func seeded(_ seed: Int64, _ step: Int64, _ coprime: Int64) -> Double {
        mix64(UInt64(bitPattern: seed ^ (step &* coprime)))
    }

    /// SplitMix64, the noise generator the design leaves open and `scream` uses.
    struct Noise {
        var state: UInt64
        mutating func next() -> Double {
            state = state &+ 0x9e3779b97f4a7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
            z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
            z = z ^ (z >> 31)
            return Double(z >> 11) / pow(2, 53)
        }
    }

    /// Every sample of `p` for one channel.
    static func render(_ p: ScreamParams) -> [Int16] {
        let sr = Double(p.sampleRate)
        let g = p.seed
        let primarySeed = p.layers.primaryScream.seed ^ (g &* 1000003)
        let harmonicSeed = p.layers.harmonicSweep.seed ^ (g &* 1000033)
        let shriekSeed = p.layers.highShriek.seed ^ (g &* 1000037)
        let burstSeed = p.noise.burstSeed ^ (g &* 1000081)
        var rngA = Noise(state: UInt64(bitPattern: burstSeed))
        var rngB = Noise(state: UInt64(bitPattern: burstSeed) ^ 0x5a5a5a5a5a5a5a5a)
        var phases = [0.0, 0.0, 0.0]
        func oscillate(_ index: Int, _ f: Double) -> Double {
            let out = sin(2 * Double.pi * phases[index])
            phases[index] += f / sr
            if phases[index] >= 1 { phases[index] -= 1 }
            return out
        }
        var steps: [Int64?] = [nil, nil, nil, nil]
        var held = [0.0, 0.0, 0.0, 0.0]

        let f = p.filter
        let dt = 1 / sr
        let hpRC = 1 / (2 * Double.pi * f.highpassCutoff)
        let hpA = f.highpassCutoff == 0 ? 1 : hpRC / (hpRC + dt)
        let lpRC = 1 / (2 * Double.pi * f.lowpassCutoff)
        let lpA = dt / (lpRC + dt)
        let levels = pow(2, Double(f.crusherBits))
        let thr = pow(10, f.compThreshold / 20)
        let aC = exp(-1 / (f.compAttack / 1000 * sr))
        let rC = exp(-1 / (f.compRelease / 1000 * sr))
        var hpIn = 0.0, hpOut = 0.0, lp = 0.0, env = 0.0

        var out = [Int16]()
        for i in 0..<Int(p.duration * sr) {
            let t = Double(i) / sr
            let a = p.layers.primaryScream
            var step = Int64(t * a.jumpRate)
            if steps[0] != step { steps[0] = step; held[0] = a.baseFreq + a.freqRange * seeded(primarySeed, step, 137) }
            let primary = a.amplitude * (1 + a.rise * t) * oscillate(0, held[0])

            let h = p.layers.harmonicSweep
            step = Int64(t * h.jumpRate)
            if steps[1] != step { steps[1] = step; held[1] = h.freqRange * seeded(harmonicSeed, step, 251) }
            let harmonic = h.amplitude * oscillate(1, h.baseFreq + h.sweepRate * t + held[1])

            let s = p.layers.highShriek
            step = Int64(t * s.jumpRate)
            if steps[2] != step { steps[2] = step; held[2] = s.baseFreq + s.freqRange * seeded(shriekSeed, step, 89) }
            let shriek = s.amplitude * (1 + s.rise * t) * oscillate(2, held[2])

            step = Int64(t * p.noise.burstRate)
            if steps[3] != step { steps[3] = step; held[3] = seeded(burstSeed, step, 173) }
            let burst = held[3] <= p.noise.threshold ? 0 : p.noise.burstAmp * (2 * rngA.next() - 1)
            let floor = p.noise.floorAmp * (2 * rngB.next() - 1)

            let x = min(max(primary + harmonic + shriek + burst + floor, -1), 1)
            let hp = hpA * (hpOut + x - hpIn)
            hpIn = x
            hpOut = hp
            lp = lp + lpA * (hp - lp)
            let crushed = Foundation.floor(lp * levels) / levels
            let bc = f.crusherMix * crushed + (1 - f.crusherMix) * lp
            env = abs(bc) > env ? aC * env + (1 - aC) * abs(bc) : rC * env + (1 - rC) * abs(bc)
            let gain = env > thr ? exp((1 / f.compRatio - 1) * log(env / thr)) : 1
            let boosted = bc * gain * pow(10, f.volumeBoostDB / 20)
            let y = min(max(boosted, -f.limiterLevel), f.limiterLevel)
            let scaled = min(max(y * 32767, -32768), 32767)
            out.append(Int16(scaled < 0 ? -(-scaled + 0.5).rounded(.down) : (scaled + 0.5).rounded(.down)))
        }
        return out
    }
}

@Suite struct FidelityGuardTests {
    static let cases: [(String, ScreamParams)] =
        Preset.allCases.map { ($0.rawValue, $0.params) }
        + (1...20).map { ("random seed \($0 * 7919)", ScreamParams.random(seed: UInt64($0 * 7919))) }

    @Test(arguments: cases.indices)
    func generatorStaysWithinTwoLSBOfThePlainReference(index: Int) {
        var (name, params) = Self.cases[index]
        params.channels = 1
        let reference = ReferenceScream.render(params)
        let generated = EncodingHarness.render(params)
        #expect(generated.count == reference.count, "\(name)")
        var close = 0
        var signal = 0.0, noise = 0.0
        for (a, b) in zip(generated, reference) {
            let diff = Double(a) - Double(b)
            if abs(diff) <= 2 { close += 1 }
            signal += Double(b) * Double(b)
            noise += diff * diff
        }
        let snr = noise == 0 ? Double.infinity : 10 * log10(signal / noise)
        #expect(Double(close) >= 0.999 * Double(reference.count), "\(name): \(close) of \(reference.count) within 2 LSB")
        #expect(snr >= 90, "\(name): SNR \(snr) dB")
    }
}
