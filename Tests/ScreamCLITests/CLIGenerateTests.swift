import Foundation
import Testing

/// `scream generate` and `scream presets` on good input, run against the built binary.
@Suite struct CLIGenerateTests {
    /// The canonical 44-byte WAV header fields of `data`.
    private func expectWAVHeader(_ data: Data, frames: Int, channels: Int = 2, rate: Int = 48_000) {
        #expect(data.count == 44 + frames * channels * 2)
        #expect(data.prefix(4) == Data("RIFF".utf8) && data[8..<16] == Data("WAVEfmt ".utf8))
        #expect(data.littleEndian(at: 4, width: 4) == data.count - 8)
        #expect(data.littleEndian(at: 16, width: 4) == 16)
        #expect(data.littleEndian(at: 20, width: 2) == 1)
        #expect(data.littleEndian(at: 22, width: 2) == channels)
        #expect(data.littleEndian(at: 24, width: 4) == rate)
        #expect(data.littleEndian(at: 34, width: 2) == 16)
        #expect(data[36..<40] == Data("data".utf8))
        #expect(data.littleEndian(at: 40, width: 4) == frames * channels * 2)
    }

    @Test func defaultOutputIsAnOggFileNamedScreamOgg() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "--preset", "whisper"], in: folder)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty && result.stdout.isEmpty)
        #expect(try entries(of: folder) == ["scream.ogg"])
        let data = try Data(contentsOf: folder.appendingPathComponent("scream.ogg"))
        #expect(data.prefix(4) == Data("OggS".utf8))
        #expect(data[28..<36] == Data("OpusHead".utf8))
    }

    @Test func wavExtensionPicksWAVAndTheHeaderMatchesTheDuration() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "-o", "out.wav", "--preset", "banshee", "--duration", "250ms"], in: folder)
        #expect(result.status == 0)
        expectWAVHeader(try Data(contentsOf: folder.appendingPathComponent("out.wav")), frames: 12_000)
    }

    @Test func formatFlagWithoutAKnownExtensionDecides() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "out.audio", "--format", "wav", "--preset", "robot", "--duration", "0.1s"], in: folder)
        #expect(result.status == 0)
        expectWAVHeader(try Data(contentsOf: folder.appendingPathComponent("out.audio")), frames: 4_800)
    }

    @Test func wavStreamedToStandardOutputIsAValidFile() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "-", "--format", "wav", "--preset", "classic", "--duration", "0.5s"], in: folder)
        #expect(result.status == 0 && result.stderr.isEmpty)
        expectWAVHeader(result.stdout, frames: 24_000)
        #expect(try entries(of: folder).isEmpty)
    }

    @Test func oggStreamedToStandardOutputIsAValidFile() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "-", "--preset", "glitch", "--duration", "0.5s"], in: folder)
        #expect(result.status == 0 && result.stderr.isEmpty)
        #expect(result.stdout.prefix(4) == Data("OggS".utf8))
        try result.stdout.write(to: folder.appendingPathComponent("piped.ogg"))
        try #require(toolExists("opusinfo"), "opusinfo (opus-tools) is needed to check the stream; make setup installs it")
        let info = try runTool("opusinfo", ["piped.ogg"], in: folder)
        #expect(info.status == 0)
        #expect(!info.stdoutText.contains("WARNING") && !info.stderr.contains("WARNING"))
        #expect(info.stdoutText.contains("Playback length: 0m:00.500s"))
    }

    @Test func randomScreamPrintsItsSeedAndTheSeedReproducesItByteForByte() throws {
        let folder = try scratchFolder()
        let first = try ScreamBinary.run(["generate", "-", "--format", "wav", "--duration", "0.2s"], in: folder)
        #expect(first.status == 0)
        let line = try #require(first.stderr.split(separator: "\n").first)
        #expect(first.stderr.split(separator: "\n").count == 1)
        #expect(line.hasPrefix("seed: "))
        let seed = String(line.dropFirst("seed: ".count))
        #expect(UInt64(seed) != nil)
        let again = try ScreamBinary.run(["generate", "-", "--format", "wav", "--duration", "0.2s", "--seed", seed], in: folder)
        #expect(again.stderr == "seed: \(seed)\n")
        #expect(again.stdout == first.stdout)
        let other = try ScreamBinary.run(["generate", "-", "--format", "wav", "--duration", "0.2s", "--seed", seed + "1"], in: folder)
        #expect(other.stdout != first.stdout)
    }

    @Test func printedParametersReplayTheSameScream() throws {
        let folder = try scratchFolder()
        let printed = try ScreamBinary.run(["generate", "--seed", "4242", "--volume", "0.5", "--duration", "0.3s", "--print-params"], in: folder)
        #expect(printed.status == 0)
        #expect(printed.stderr == "seed: 4242\n")
        #expect(printed.stdoutText.hasPrefix("duration: 0.3s\nsample_rate: 48000\nchannels: 2\nseed: 4242\nlayers:\n"))
        #expect(try entries(of: folder).isEmpty)
        try printed.stdout.write(to: folder.appendingPathComponent("mine.yaml"))
        let direct = try ScreamBinary.run(["generate", "-", "--format", "wav", "--seed", "4242", "--volume", "0.5", "--duration", "0.3s"], in: folder)
        let replayed = try ScreamBinary.run(["generate", "-", "--format", "wav", "--params", "mine.yaml"], in: folder)
        #expect(replayed.status == 0 && replayed.stderr.isEmpty)
        #expect(replayed.stdout == direct.stdout)
    }

    @Test func seedWithAPresetBecomesTheGlobalSeed() throws {
        let folder = try scratchFolder()
        let plain = try ScreamBinary.run(["generate", "--preset", "classic", "--print-params"], in: folder)
        let seeded = try ScreamBinary.run(["generate", "--preset", "classic", "--seed", "5", "--print-params"], in: folder)
        #expect(plain.stderr.isEmpty && seeded.stderr.isEmpty)
        #expect(plain.stdoutText.split(separator: "\n").contains("seed: 0"))
        #expect(seeded.stdoutText == plain.stdoutText.replacingOccurrences(of: "\nseed: 0\n", with: "\nseed: 5\n"))
        let plainAudio = try ScreamBinary.run(["generate", "-", "--format", "wav", "--preset", "classic", "--duration", "0.2s"], in: folder)
        let seededAudio = try ScreamBinary.run(["generate", "-", "--format", "wav", "--preset", "classic", "--duration", "0.2s", "--seed", "5"], in: folder)
        #expect(plainAudio.stdout.count == seededAudio.stdout.count && plainAudio.stdout != seededAudio.stdout)
    }

    @Test func parameterFileKeysOverrideThePresetAndTheRestStays() throws {
        let folder = try scratchFolder()
        try "duration: 0.1s\nchannels: 1\n".write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let result = try ScreamBinary.run(["generate", "--params", "p.yaml", "--preset", "robot", "--print-params"], in: folder)
        #expect(result.status == 0)
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.contains("duration: 0.1s") && lines.contains("channels: 1"))
        #expect(lines.contains("  primary_scream:   {base_freq: 400, freq_range: 1000, jump_rate: 12, amplitude: 0.4, rise: 0.5, seed: 8080}"))
        let rendered = try ScreamBinary.run(["generate", "-", "--format", "wav", "--params", "p.yaml"], in: folder)
        expectWAVHeader(rendered.stdout, frames: 4_800, channels: 1)
    }

    @Test func ffmpegBackendRendersTheSameLengthThroughTheSamePipeline() throws {
        try #require(toolExists("ffmpeg"), "ffmpeg is needed for the ffmpeg backend; make setup installs it")
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "ff.wav", "--backend", "ffmpeg", "--preset", "robot", "--duration", "0.5s"], in: folder)
        #expect(result.status == 0 && result.stderr.isEmpty)
        expectWAVHeader(try Data(contentsOf: folder.appendingPathComponent("ff.wav")), frames: 24_000)
    }

    @Test func printedFFmpegCommandRendersTheSameSamplesAsTheBackend() throws {
        try #require(toolExists("ffmpeg"), "ffmpeg is needed for the ffmpeg backend; make setup installs it")
        let folder = try scratchFolder()
        let options = ["--backend", "ffmpeg", "--preset", "glitch", "--duration", "0.3s"]
        let printed = try ScreamBinary.run(["generate", "--print-command"] + options, in: folder)
        #expect(printed.status == 0 && printed.stderr.isEmpty)
        let commandLine = printed.stdoutText.trimmingCharacters(in: .newlines)
        #expect(commandLine.contains("aevalsrc") && !commandLine.contains("\n"))
        #expect(try entries(of: folder).isEmpty)
        let viaShell = try runProcess("/bin/sh", ["-c", commandLine], in: folder)
        let rendered = try ScreamBinary.run(["generate", "-", "--format", "wav"] + options, in: folder)
        #expect(viaShell.status == 0 && rendered.status == 0)
        expectWAVHeader(rendered.stdout, frames: 14_400)
        #expect(viaShell.stdout == rendered.stdout.dropFirst(44))
    }

    @Test func volumeZeroIsSilence() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "-", "--format", "wav", "--preset", "classic", "--volume", "0", "--duration", "0.1s"], in: folder)
        #expect(result.status == 0)
        expectWAVHeader(result.stdout, frames: 4_800)
        #expect(result.stdout.dropFirst(44).allSatisfy { $0 == 0 })
    }

    @Test func existingFileIsReplacedWhole() throws {
        let folder = try scratchFolder()
        let target = folder.appendingPathComponent("out.wav")
        try Data(repeating: 7, count: 1_000_000).write(to: target)
        let result = try ScreamBinary.run(["generate", "out.wav", "--preset", "classic", "--duration", "0.1s"], in: folder)
        #expect(result.status == 0)
        expectWAVHeader(try Data(contentsOf: target), frames: 4_800)
        #expect(try entries(of: folder) == ["out.wav"])
    }

    @Test func verboseLogsMilestonesToStandardErrorOnly() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "-", "--format", "wav", "--preset", "classic", "--duration", "0.1s", "-v"], in: folder)
        #expect(result.status == 0)
        #expect(result.stderr.contains("info scream: [ScreamCore] rendering preset classic (0.1s, 48000 Hz, 2 channels) as wav with the native backend"))
        #expect(result.stdout.prefix(4) == Data("RIFF".utf8))
    }

    @Test func presetsListsEveryPresetWithDurationAndCharacter() throws {
        let result = try ScreamBinary.run(["presets"], in: try scratchFolder())
        #expect(result.status == 0)
        #expect(result.stdoutText == """
            classic      3s  the all-round horror-movie scream
            whisper      2s  a thin, breathy, distant wail
            death-metal  4s  a low, long, heavily crushed growl
            glitch       3s  jittery, fast-jumping digital shrieks
            banshee      4s  a long, rising, piercing howl
            robot        3s  a crunchy, stepped, synthetic cry

            """)
    }
}
