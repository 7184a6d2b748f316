import Foundation
import Testing
@testable import ScreamCore

@Suite struct RealFFTTests {
    /// `|X[k]|²` of the DFT of `signal`, summed directly in Double.
    private func directPower(_ signal: [Float]) -> [Double] {
        let n = signal.count
        return (0...(n / 2)).map { k in
            var (re, im) = (0.0, 0.0)
            for (index, sample) in signal.enumerated() {
                let angle = -2 * Double.pi * Double(k * index % n) / Double(n)
                re += Double(sample) * cos(angle)
                im += Double(sample) * sin(angle)
            }
            return re * re + im * im
        }
    }

    @Test(arguments: [8, 64, 2048])
    func powerSpectrumMatchesADirectDFT(size: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let signal = (0..<size).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 20_000) / 10_000 - 1
        }
        var fft = RealFFT(size: size)
        var power = [Float](repeating: -1, count: fft.binCount)
        signal.withUnsafeBufferPointer { input in
            power.withUnsafeMutableBufferPointer { fft.powerSpectrum(of: input, into: $0) }
        }
        let expected = directPower(signal)
        let largest = expected.max()!
        for (bin, value) in expected.enumerated() {
            #expect(abs(Double(power[bin]) - value) <= 1e-4 * largest, "bin \(bin): \(power[bin]) against \(value)")
        }
    }

    @Test func aCosineOnABinPutsAllItsPowerInThatBin() {
        let size = 2048
        let signal = (0..<size).map { Float(cos(2 * Double.pi * 100 * Double($0) / Double(size))) }
        var fft = RealFFT(size: size)
        var power = [Float](repeating: 0, count: fft.binCount)
        signal.withUnsafeBufferPointer { input in
            power.withUnsafeMutableBufferPointer { fft.powerSpectrum(of: input, into: $0) }
        }
        #expect(abs(power[100] - Float(size * size / 4)) < 1)
        #expect(power.enumerated().filter { $0.offset != 100 }.allSatisfy { $0.element < 1e-3 })
    }
}

@Suite struct SpectrogramTests {
    /// Classic with every layer silent but the primary scream, held at `frequency` Hz.
    private func tone(_ frequency: Int) throws -> ScreamParams {
        let yaml = """
            duration: 2s
            layers:
              primary_scream: {base_freq: \(frequency), freq_range: 0, amplitude: 0.5, rise: 0}
              harmonic_sweep: {amplitude: 0}
              high_shriek: {amplitude: 0}
              noise_burst: {amplitude: 0}
              background_noise: {amplitude: 0}
            noise: {burst_amp: 0, floor_amp: 0}
            filter: {crusher_mix: 0}
            """
        return try ParameterFile.parse(yaml, path: "tone.yaml", over: Preset.classic.params)
    }

    /// Where the rows are narrower than a bin the brightest row is within a bin of the tone;
    /// where they are wider, the tone lies in it (give or take a bin).
    @Test(arguments: [220, 1000, 3000, 9000])
    func aConstantToneIsTheBrightestRowAtItsFrequency(frequency: Int) throws {
        let spectrogram = ImageHarness.accumulate(try tone(frequency)).spectrogram
        let binWidth = 48_000.0 / Double(Spectrogram.windowSize)
        for column in stride(from: spectrogram.columns / 4, to: spectrogram.columns * 3 / 4, by: 10) {
            let brightest = (0..<spectrogram.rows).max { spectrogram.level(column: column, row: $0) < spectrogram.level(column: column, row: $1) }!
            let low = Spectrogram.frequency(atRow: Double(brightest), rows: spectrogram.rows, sampleRate: 48_000)
            let high = Spectrogram.frequency(atRow: Double(brightest + 1), rows: spectrogram.rows, sampleRate: 48_000)
            let centre = spectrogram.centreFrequency(ofRow: brightest)
            let target = Double(frequency)
            #expect(abs(centre - target) <= binWidth || (low - binWidth...high + binWidth).contains(target),
                    "column \(column): brightest row spans \(low) to \(high) Hz")
            #expect(spectrogram.level(column: column, row: brightest) > -20)
        }
    }

    @Test func framesAreCentredEveryHopAndColumnsNeverOutnumberThem() {
        let short = Spectrogram(totalSamples: 48_000, sampleRate: 48_000, columns: 1000, rows: 10)
        #expect(short.frameCount == 94 && short.columns == 94)
        let long = Spectrogram(totalSamples: 48_000 * 600, sampleRate: 48_000, columns: 1000, rows: 10)
        #expect(long.frameCount == 56_250 && long.columns == 1000 && long.levels.count == 10_000)
    }

    @Test func rowsRunLogarithmicallyFrom50HzToNyquist() {
        #expect(Spectrogram.frequency(atRow: 0, rows: 100, sampleRate: 48_000) == 50)
        #expect(abs(Spectrogram.frequency(atRow: 100, rows: 100, sampleRate: 48_000) - 24_000) < 1e-6)
        let middle = Spectrogram.frequency(atRow: 50, rows: 100, sampleRate: 48_000)
        #expect(abs(middle - (50 * 24_000).squareRoot()) < 1e-6)
    }

    @Test func silenceStaysAtTheFloor() {
        let spectrogram = ImageHarness.accumulate(Preset.classic.params.applyingDuration(1).applyingVolume(0)).spectrogram
        #expect(spectrogram.levels.allSatisfy { $0 == Spectrogram.floorDB })
    }
}

@Suite struct WaveformTests {
    @Test func eachColumnHoldsTheMinimumAndMaximumOfItsFrames() {
        var waveform = Waveform(totalFrames: 10, columns: 4)
        let samples: [Int16] = [1, -1, 5, 2, -3, 0, 7, 7, 9, -9, 4, 4, -2, 3, 0, 0, 6, -6, 1, 1]
        samples.withUnsafeBufferPointer { all in
            waveform.add(UnsafeBufferPointer(rebasing: all[0..<6]), channels: 2)
            waveform.add(UnsafeBufferPointer(rebasing: all[6...]), channels: 2)
        }
        // Frames 0-2, 3-4, 5-7, 8-9: column = frame * 4 / 10.
        #expect(waveform.minimum == [-3, -9, -2, -6])
        #expect(waveform.maximum == [5, 9, 4, 6])
    }

    @Test func aSignalShorterThanTheStripLeavesColumnsEmpty() {
        var waveform = Waveform(totalFrames: 2, columns: 4)
        [Int16(3), -4].withUnsafeBufferPointer { waveform.add($0, channels: 1) }
        #expect(waveform.minimum == [3, .max, -4, .max])
        #expect(waveform.maximum == [3, .min, -4, .min])
    }
}

@Suite struct ImageRenderTests {
    @Test func thePNGDecodesAtTheRequestedSize() throws {
        let folder = try ImageHarness.generate(Preset.classic.params.applyingDuration(1), size: try ImageSize(parsing: "640x360", option: "test"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = try ImageHarness.decode(folder.appendingPathComponent("out.png").path)
        #expect(png.width == 640 && png.height == 360)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["out.ogg", "out.png"])
    }

    @Test func silenceDrawsTheSpectrogramInTheDarkestColour() throws {
        let folder = try ImageHarness.generate(Preset.classic.params.applyingDuration(1).applyingVolume(0))
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = try ImageHarness.decode(folder.appendingPathComponent("out.png").path)
        let plot = ImageLayout(size: .standard).spectrogram
        let darkest = Array(Palette.rgb[0..<3])
        for y in plot.y..<plot.maxY {
            for x in plot.x..<plot.maxX where png.pixel(x, y) != darkest {
                Issue.record("pixel \(x), \(y) is \(png.pixel(x, y))")
                return
            }
        }
        #expect(darkest.allSatisfy { $0 < 8 })
    }

    @Test func aLoudScreamLightsUpTheSpectrogram() throws {
        let image = ImageHarness.accumulate(Preset.classic.params.applyingDuration(1))
        let canvas = ImageRenderer.canvas(of: image, title: "t")
        let plot = image.layout.spectrogram
        var bright = 0
        for y in plot.y..<plot.maxY {
            for x in plot.x..<plot.maxX where canvas.pixels[y * canvas.width + x] > UInt8(Palette.levels / 2) { bright += 1 }
        }
        #expect(bright > plot.width * plot.height / 20)
    }

    @Test func theSameScreamGivesTheSameCanvas() {
        let params = ScreamParams.random(seed: 7).applyingDuration(0.5)
        let first = ImageRenderer.canvas(of: ImageHarness.accumulate(params), title: "seed 7")
        let second = ImageRenderer.canvas(of: ImageHarness.accumulate(params), title: "seed 7")
        #expect(first.pixels == second.pixels)
    }

    @Test(arguments: [(0, "0"), (500, "0.5"), (1250, "1.25"), (2000, "2"), (90_000, "90"), (50, "0.05")])
    func timeLabelsUseAsFewDecimalsAsNeeded(milliseconds: Int, label: String) {
        #expect(ImageRenderer.label(milliseconds: milliseconds) == label)
    }

    @Test(arguments: ["1200x600", "320x200", "4096X4096"])
    func imageSizesWithinTheRangeParse(text: String) throws {
        let size = try ImageSize(parsing: text, option: "--image-size")
        #expect(size.description == text.lowercased())
    }

    @Test(arguments: ["0x10", "abc", "8000x8000", "319x200", "1200x", "x600", "1200x600x2", "+1200x600", "1200 x 600", ""])
    func imageSizesOutsideTheRangeAreRefused(text: String) {
        #expect(throws: ImageError.invalidSize(text, option: "--image-size")) {
            try ImageSize(parsing: text, option: "--image-size")
        }
    }
}

@Suite struct AudioReaderTests {
    @Test func wavReaderReturnsTheSamplesWAVWriterWrote() throws {
        let params = Preset.robot.params.applyingDuration(0.3)
        let path = try EncodingHarness.writeFile("wav") { sink in
            try WAVWriter.encode(ScreamGenerator(params: params), frameCount: params.sampleCount, to: sink)
        }
        defer { unlink(path) }
        var reader = try WAVReader(file: InputFile(path: path))
        #expect(reader.channels == 2 && reader.sampleRate == 48_000 && reader.frameCount == params.sampleCount)
        var samples = [Int16]()
        var block = [Int16](repeating: 0, count: 1000)
        while case let frames = try block.withUnsafeMutableBufferPointer({ try reader.read(into: $0) }), frames > 0 {
            samples += block[..<(frames * 2)]
        }
        #expect(samples == EncodingHarness.render(params))
    }

    @Test func oggOpusReaderDecodesExactlyTheFramesTheWriterRecorded() throws {
        let params = Preset.classic.params.applyingDuration(0.77)
        let path = try EncodingHarness.writeFile("ogg") { sink in
            _ = try OggOpusWriter.encode(ScreamGenerator(params: params), to: sink, serial: 1)
        }
        defer { unlink(path) }
        let reader = try OggOpusReader(file: InputFile(path: path))
        #expect(reader.channels == 2 && reader.frameCount == params.sampleCount)
        var frames = 0
        var peak = 0
        var block = [Int16](repeating: 0, count: 4096)
        while case let got = try block.withUnsafeMutableBufferPointer({ try reader.read(into: $0) }), got > 0 {
            frames += got
            peak = block[..<(got * 2)].reduce(peak) { max($0, abs(Int($1))) }
        }
        #expect(frames == params.sampleCount)
        #expect(peak > 16_000, "the decoded audio is the scream, not silence")
    }

    @Test func aFileThatIsNeitherOggNorWAVIsRefused() throws {
        let path = EncodingHarness.temporaryPath("txt")
        try "hello".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        #expect(throws: DecodingError.notAudio(path: path)) {
            try WAVReader(file: InputFile(path: path))
        }
        #expect(throws: DecodingError.notAudio(path: path)) {
            try OggOpusReader(file: InputFile(path: path))
        }
    }
}
