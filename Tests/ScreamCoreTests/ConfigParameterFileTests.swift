import Foundation
import Testing
@testable import ScreamCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct ConfigParameterFileTests {
    @Test func printedClassicPresetHasTheDesignLayout() {
        let expected = """
            duration: 3s
            sample_rate: 48000
            channels: 2
            seed: 0
            layers:
              primary_scream:   {base_freq: 500, freq_range: 1500, jump_rate: 10, amplitude: 0.4, rise: 1.2, seed: 4242}
              harmonic_sweep:   {base_freq: 350, sweep_rate: 500, freq_range: 800, jump_rate: 6, amplitude: 0.25, seed: 3000}
              high_shriek:      {base_freq: 1200, freq_range: 1600, jump_rate: 20, amplitude: 0.25, rise: 2.5, seed: 7000}
              noise_burst:      {amplitude: 0.18, seed: 4000}
              background_noise: {amplitude: 0.1}
            noise:  {burst_rate: 8, threshold: 0.7, burst_amp: 0.18, floor_amp: 0.1, burst_seed: 4000}
            filter: {highpass_cutoff: 120, lowpass_cutoff: 8000, crusher_bits: 8, crusher_mix: 0.5, comp_ratio: 8, comp_threshold: -20, comp_attack: 5, comp_release: 50, volume_boost_db: 9, limiter_level: 0.95}

            """
        #expect(ParameterFile.yaml(for: Preset.classic.params) == expected)
    }

    @Test(arguments: Preset.allCases)
    func printedPresetReadsBackToIdenticalParameters(preset: Preset) throws {
        let text = ParameterFile.yaml(for: preset.params)
        let other = preset == .classic ? Preset.robot : Preset.classic
        #expect(try ParameterFile.parse(text, path: "p.yaml", over: other.params) == preset.params)
    }

    @Test(arguments: [1 as UInt64, 42, 987_654_321, .max])
    func printedRandomScreamReadsBackToIdenticalParameters(seed: UInt64) throws {
        let params = ScreamParams.random(seed: seed).applyingVolume(0.37)
        let text = ParameterFile.yaml(for: params)
        #expect(try ParameterFile.parse(text, path: "p.yaml", over: Preset.classic.params) == params)
    }

    @Test func missingKeysKeepTheBaseValues() throws {
        let text = """
            duration: 1.5s
            layers:
              primary_scream: {amplitude: 0.2}
            filter:
              crusher_bits: 10
            """
        let params = try ParameterFile.parse(text, path: "p.yaml", over: Preset.banshee.params)
        var expected = Preset.banshee.params
        expected.duration = 1.5
        expected.layers.primaryScream.amplitude = 0.2
        expected.filter.crusherBits = 10
        #expect(params == expected)
    }

    @Test func jsonIsAcceptedAsYAML() throws {
        let text = #"{"seed": 7, "noise": {"threshold": 0.6}, "duration": "500ms"}"#
        let params = try ParameterFile.parse(text, path: "p.json", over: Preset.classic.params)
        #expect(params.seed == 7 && params.noise.threshold == 0.6 && params.duration == 0.5)
    }

    @Test func emptyFileIsTheBaseParameters() throws {
        #expect(try ParameterFile.parse("", path: "p.yaml", over: Preset.glitch.params) == Preset.glitch.params)
    }

    @Test(arguments: [
        ("layers:\n  primary_scream: {bse_freq: 400}\n",
         "unknown key 'layers.primary_scream.bse_freq' in p.yaml; valid keys here are: base_freq, freq_range, jump_rate, amplitude, rise, seed."),
        ("volume: 3\n",
         "unknown key 'volume' in p.yaml; valid keys here are: duration, sample_rate, channels, seed, layers, noise, filter."),
        ("noise: {threshold: high}\n",
         "invalid value 'high' from key 'noise.threshold' in p.yaml: expected a finite number."),
        ("seed: 1.5\n",
         "invalid value '1.5' from key 'seed' in p.yaml: expected a whole number."),
        ("duration: 11m\n",
         "invalid duration '11m' from key 'duration' in p.yaml: expected at most 10m."),
        ("layers: 3\n",
         "key 'layers' in p.yaml must be a mapping of keys to values."),
        ("channels: [1, 2]\n",
         "invalid value '(a list)' from key 'channels' in p.yaml: expected a single value."),
        ("seed: 1\nseed: 2\n",
         "p.yaml is not valid YAML: line 1: key 'seed' appears more than once."),
        ("- 1\n- 2\n",
         "p.yaml must be a YAML mapping of keys to values."),
    ])
    func badFileIsRejectedWithOneSentenceNamingTheKey(yaml: String, message: String) {
        let error = #expect(throws: ConfigError.self) {
            try ParameterFile.parse(yaml, path: "p.yaml", over: Preset.classic.params)
        }
        #expect(error?.description == message)
    }

    @Test(arguments: ["nan", "inf", "-inf", ".nan", ".inf"])
    func nonFiniteNumbersAreRejected(value: String) {
        #expect(throws: ConfigError.self) {
            try ParameterFile.parse("filter: {comp_ratio: \(value)}\n", path: "p.yaml", over: Preset.classic.params)
        }
    }

    @Test func malformedYAMLIsRejectedWithItsPosition() {
        let error = #expect(throws: ConfigError.self) {
            try ParameterFile.parse("layers: {primary_scream: [\n", path: "p.yaml", over: Preset.classic.params)
        }
        #expect(error?.description == "p.yaml is not valid YAML: line 2, column 1: did not find expected node content.")
    }

    @Test func missingFileIsRejected() {
        let error = #expect(throws: ConfigError.self) {
            try ParameterFile.load(path: "/nonexistent/p.yaml", over: Preset.classic.params)
        }
        #expect(error?.description == "cannot read /nonexistent/p.yaml: no such file.")
    }

    @Test func emptyPathSaysThePathIsEmpty() {
        let error = #expect(throws: ConfigError.self) { try ParameterFile.load(path: "", over: Preset.classic.params) }
        #expect(error?.description == "the path of a parameter or config file is empty; give a file name.")
    }

    @Test func fileLargerThanOneMebibyteIsRejected() throws {
        let file = try temporaryFile(String(repeating: "# padding\n", count: 110_000))
        let error = #expect(throws: ConfigError.self) { try ParameterFile.load(path: file, over: Preset.classic.params) }
        #expect(error?.description == "cannot read \(file): it is larger than 1 MiB; parameter and config files are a few lines of YAML.")
    }

    @Test func fileOfExactlyOneMebibyteIsRead() throws {
        let line = "seed: 7\n"
        let file = try temporaryFile(line + String(repeating: "#", count: (1 << 20) - line.utf8.count - 1) + "\n")
        #expect(try ParameterFile.load(path: file, over: Preset.classic.params).seed == 7)
    }

    /// A FIFO has no size up front: the bounded read still stops after 1 MiB + 1 bytes.
    @Test(arguments: [("seed: 9\n", nil), (String(repeating: "#", count: (1 << 20) + 1), "larger than 1 MiB")])
    func fifoIsReadThroughItsDescriptor(contents: String, failure: String?) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scream-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fifo = folder.appendingPathComponent("p.yaml").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let descriptor = open(fifo, O_WRONLY)
            guard descriptor >= 0 else { return }
            _ = contents.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress!, $0.count - 1) }
            close(descriptor)
        }
        writer.start()
        let outcome = Result { try ParameterFile.load(path: fifo, over: Preset.classic.params) }
        switch (outcome, failure) {
        case (.success(let params), nil): #expect(params.seed == 9)
        case (.failure(let error), let failure?): #expect("\(error)".contains(failure))
        default: Issue.record("unexpected outcome \(outcome)")
        }
    }

    @Test func hugeValuesAndKeysAreEchoedShortened() {
        let huge = String(repeating: "x", count: 100_000)
        let shown = String(repeating: "x", count: 64) + "…"
        for (yaml, message) in [
            ("noise: {threshold: \(huge)}\n", "invalid value '\(shown)' from key 'noise.threshold' in p.yaml: expected a finite number."),
            ("? \(huge)\n: 1\n", "unknown key '\(shown)' in p.yaml; valid keys here are: duration, sample_rate, channels, seed, layers, noise, filter."),
        ] {
            let error = #expect(throws: ConfigError.self) { try ParameterFile.parse(yaml, path: "p.yaml", over: Preset.classic.params) }
            #expect(error?.description == message)
        }
        #expect(ConfigError.unknownPreset(name: huge, source: .flag("--preset")).description.hasPrefix("unknown preset '\(shown)' from --preset;"))
        #expect(ConfigError.shortened(String(repeating: "y", count: 64)) == String(repeating: "y", count: 64))
    }

    @Test func nulByteIsRejectedBeforeParsing() {
        let error = #expect(throws: ConfigError.self) {
            try ParameterFile.parse("seed: 1\u{0}\n", path: "p.yaml", over: Preset.classic.params)
        }
        #expect(error?.description == "p.yaml contains a NUL byte; parameter and config files are YAML text.")
    }

    @Test(arguments: [
        "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        "a: " + String(repeating: "{b: ", count: 65) + "1" + String(repeating: "}", count: 65),
        (0..<65).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n",
        String(repeating: "- ", count: 65) + "1\n",
    ])
    func nestingDeeperThanSixtyFourLevelsIsRejectedBeforeParsing(yaml: String) {
        let error = #expect(throws: ConfigError.self) { try ParameterFile.parse(yaml, path: "p.yaml", over: Preset.classic.params) }
        #expect(error?.description == "p.yaml nests deeper than 64 levels; parameter and config files need only a few.")
    }

    @Test func nestingOfSixtyFourLevelsReachesTheParser() {
        let yaml = "seed: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n"
        #expect(throws: ConfigError.invalidValue(
            setting: "value", value: "(a list)", source: .file(path: "p.yaml", key: "seed"), expected: "a single value")
        ) {
            try ParameterFile.parse(yaml, path: "p.yaml", over: Preset.classic.params)
        }
    }

    @Test func bracketsInQuotesAndCommentsDoNotCountAsNesting() throws {
        let brackets = String(repeating: "[", count: 100)
        let yaml = "# \(brackets)\nlayers:\n  primary_scream: {amplitude: 0.3} # \(brackets)\nduration: '\(brackets)'\n"
        let error = #expect(throws: ConfigError.self) { try ParameterFile.parse(yaml, path: "p.yaml", over: Preset.classic.params) }
        #expect(error?.description.hasPrefix("invalid duration '\(String(repeating: "[", count: 64))…'") == true)
    }

    /// Writes `contents` to a new file in a fresh temporary folder and returns its path.
    private func temporaryFile(_ contents: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scream-params-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("p.yaml").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
