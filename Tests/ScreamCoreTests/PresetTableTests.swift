import Foundation
import Testing
@testable import ScreamCore

/// Reads the two preset tables of the design reference from `Tests/Vectors/presets.md`.
private struct DesignTable {
    var rows: [String: [[Double]]] = [:]

    init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Tests/Vectors/presets.md"), encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = cells.first, Preset(rawValue: name) != nil else { continue }
            let groups = cells.dropFirst().map { cell in
                cell.replacingOccurrences(of: "s", with: "").split(separator: "/").compactMap { Double($0) }
            }
            rows[name, default: []] += groups
        }
    }
}

@Suite struct PresetTableTests {
    @Test(arguments: Preset.allCases)
    func presetEqualsTheDesignTable(preset: Preset) throws {
        let table = try DesignTable()
        let g = try #require(table.rows[preset.rawValue])
        try #require(g.count == 8, "both table rows found")
        let p = preset.params
        #expect(p.duration == g[0][0] && p.sampleRate == 48000 && p.channels == 2 && p.seed == 0)
        let a = p.layers.primaryScream
        #expect([a.baseFreq, a.freqRange, a.jumpRate, a.amplitude, a.rise, Double(a.seed)] == g[1])
        let h = p.layers.harmonicSweep
        #expect([h.baseFreq, h.sweepRate, h.freqRange, h.jumpRate, h.amplitude, Double(h.seed)] == g[2])
        let s = p.layers.highShriek
        #expect([s.baseFreq, s.freqRange, s.jumpRate, s.amplitude, s.rise, Double(s.seed)] == g[3])
        #expect([p.layers.noiseBurst.amplitude, Double(p.layers.noiseBurst.seed)] == g[4])
        #expect([p.layers.backgroundNoise.amplitude] == g[5])
        let n = p.noise
        #expect([n.burstRate, n.threshold, n.burstAmp, n.floorAmp, Double(n.burstSeed)] == g[6])
        let f = p.filter
        #expect([f.highpassCutoff, f.lowpassCutoff, Double(f.crusherBits), f.crusherMix, f.compRatio, f.volumeBoostDB] == g[7])
        #expect(f.compThreshold == -20 && f.compAttack == 5 && f.compRelease == 50 && f.limiterLevel == 0.95)
        try p.validate()
    }
}

@Suite struct ValidationTests {
    typealias Edit = @Sendable (inout ScreamParams) -> Void

    static let invalid: [(String, Edit)] = [
        ("duration", { $0.duration = 0 }),
        ("duration", { $0.duration = -1 }),
        ("duration", { $0.duration = .nan }),
        ("duration", { $0.duration = .infinity }),
        ("sample_rate", { $0.sampleRate = 0 }),
        ("channels", { $0.channels = 3 }),
        ("channels", { $0.channels = 0 }),
        ("layers.primary_scream.amplitude", { $0.layers.primaryScream.amplitude = 1.5 }),
        ("layers.primary_scream.base_freq", { $0.layers.primaryScream.baseFreq = .nan }),
        ("layers.primary_scream.jump_rate", { $0.layers.primaryScream.jumpRate = .infinity }),
        ("layers.primary_scream.rise", { $0.layers.primaryScream.rise = -.infinity }),
        ("layers.harmonic_sweep.amplitude", { $0.layers.harmonicSweep.amplitude = -0.1 }),
        ("layers.harmonic_sweep.sweep_rate", { $0.layers.harmonicSweep.sweepRate = .nan }),
        ("layers.high_shriek.amplitude", { $0.layers.highShriek.amplitude = 2 }),
        ("layers.high_shriek.freq_range", { $0.layers.highShriek.freqRange = .nan }),
        ("layers.noise_burst.amplitude", { $0.layers.noiseBurst.amplitude = 1.01 }),
        ("layers.background_noise.amplitude", { $0.layers.backgroundNoise.amplitude = .nan }),
        ("noise.burst_amp", { $0.noise.burstAmp = 3 }),
        ("noise.floor_amp", { $0.noise.floorAmp = -1 }),
        ("noise.burst_rate", { $0.noise.burstRate = .nan }),
        ("noise.threshold", { $0.noise.threshold = .infinity }),
        ("filter.highpass_cutoff", { $0.filter.highpassCutoff = -1 }),
        ("filter.lowpass_cutoff", { $0.filter.lowpassCutoff = -5 }),
        ("filter.lowpass_cutoff", { $0.filter.lowpassCutoff = .infinity }),
        ("filter.crusher_bits", { $0.filter.crusherBits = 0 }),
        ("filter.crusher_bits", { $0.filter.crusherBits = 17 }),
        ("filter.crusher_mix", { $0.filter.crusherMix = 1.5 }),
        ("filter.comp_ratio", { $0.filter.compRatio = 0 }),
        ("filter.comp_threshold", { $0.filter.compThreshold = .nan }),
        ("filter.comp_attack", { $0.filter.compAttack = -1 }),
        ("filter.comp_release", { $0.filter.compRelease = .infinity }),
        ("filter.volume_boost_db", { $0.filter.volumeBoostDB = .infinity }),
        ("filter.limiter_level", { $0.filter.limiterLevel = 0 }),
        ("filter.limiter_level", { $0.filter.limiterLevel = 1.2 }),
    ]

    @Test(arguments: invalid.indices)
    func invalidFieldIsRejectedByName(index: Int) {
        let (field, edit) = Self.invalid[index]
        var params = Preset.classic.params
        edit(&params)
        do {
            try params.validate()
            Issue.record("\(field) was accepted")
        } catch {
            #expect(error.description.hasPrefix(field + " is "), "\(error.description)")
            #expect(error.description.hasSuffix("."))
        }
    }

    @Test func messagesNameTheValueAndTheRule() {
        var params = Preset.classic.params
        params.layers.primaryScream.amplitude = 1.5
        #expect(throws: ParamsError.outOfRange(field: "layers.primary_scream.amplitude", value: "1.5", expected: "between 0 and 1")) {
            try params.validate()
        }
        #expect(ParamsError.outOfRange(field: "channels", value: "3", expected: "1 or 2").description
            == "channels is 3, but it must be 1 or 2.")
        #expect(ParamsError.notFinite(field: "duration", value: .nan).description
            == "duration is nan, but it must be a finite number.")
    }

    @Test func edgesOfEachRangeAreAccepted() throws {
        var params = Preset.classic.params
        params.channels = 1
        params.layers.primaryScream.amplitude = 1
        params.noise.floorAmp = 0
        params.filter.highpassCutoff = 0
        params.filter.crusherBits = 16
        params.filter.limiterLevel = 1
        try params.validate()
        params.filter.crusherBits = 1
        try params.validate()
    }
}
