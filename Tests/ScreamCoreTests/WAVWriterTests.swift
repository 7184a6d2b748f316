import Foundation
import Testing
@testable import ScreamCore

@Suite struct WAVWriterTests {
    @Test func headerFieldsDescribe16BitPCM() {
        let h = WAVWriter.header(sampleRate: 48000, channels: 2, frameCount: 1000)
        #expect(h.count == 44)
        #expect(String(decoding: h[0..<4], as: UTF8.self) == "RIFF")
        #expect(EncodingHarness.littleEndian(h, 4, as: UInt32.self) == 36 + 4000)
        #expect(String(decoding: h[8..<16], as: UTF8.self) == "WAVEfmt ")
        #expect(EncodingHarness.littleEndian(h, 16, as: UInt32.self) == 16)
        #expect(EncodingHarness.littleEndian(h, 20, as: UInt16.self) == 1)
        #expect(EncodingHarness.littleEndian(h, 22, as: UInt16.self) == 2)
        #expect(EncodingHarness.littleEndian(h, 24, as: UInt32.self) == 48000)
        #expect(EncodingHarness.littleEndian(h, 28, as: UInt32.self) == 192_000)
        #expect(EncodingHarness.littleEndian(h, 32, as: UInt16.self) == 4)
        #expect(EncodingHarness.littleEndian(h, 34, as: UInt16.self) == 16)
        #expect(String(decoding: h[36..<40], as: UTF8.self) == "data")
        #expect(EncodingHarness.littleEndian(h, 40, as: UInt32.self) == 4000)
    }

    @Test(arguments: [1, 2])
    func fileHoldsTheHeaderThenEverySampleLittleEndian(channels: Int) throws {
        var params = Preset.whisper.params.applyingDuration(0.25)
        params.channels = channels
        let path = try EncodingHarness.writeFile("wav") { sink in
            try WAVWriter.encode(ScreamGenerator(params: params), frameCount: params.sampleCount, to: sink)
        }
        defer { unlink(path) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 44 + 12_000 * 2 * channels)
        #expect(Array(bytes[0..<44]) == WAVWriter.header(sampleRate: 48000, channels: channels, frameCount: 12_000))
        let expected = EncodingHarness.render(params)
        let written = stride(from: 44, to: bytes.count, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
        #expect(written == expected)
    }

    @Test func pipedStreamIsAValidFileThatFFprobeReads() throws {
        try #require(EncodingHarness.installed("ffprobe"), "ffprobe is not installed; run `make setup`")
        let params = Preset.glitch.params.applyingDuration(0.5)
        let path = try EncodingHarness.writePipe("wav") { sink in
            try WAVWriter.encode(ScreamGenerator(params: params), frameCount: params.sampleCount, to: sink)
        }
        defer { unlink(path) }
        let probe = try EncodingHarness.run("ffprobe", [
            "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels,duration", "-of", "default=nw=1", path,
        ])
        #expect(probe.status == 0)
        #expect(probe.output.contains("codec_name=pcm_s16le") && probe.output.contains("duration=0.500000"))
    }

    @Test func shortStreamIsAFrameCountMismatch() throws {
        let params = Preset.classic.params.applyingDuration(0.1)
        #expect(throws: EncodingError.wavFrameCountMismatch(expected: 9600, actual: 4800)) {
            _ = try EncodingHarness.writeFile("wav") { sink in
                try WAVWriter.encode(ScreamGenerator(params: params), frameCount: 9600, to: sink)
            }
        }
    }
}
