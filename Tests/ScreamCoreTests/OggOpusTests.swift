import Foundation
import Testing
@testable import ScreamCore

private let opusToolsInstalled = EncodingHarness.installed("opusinfo") && EncodingHarness.installed("opusdec")

@Suite struct OggOpusStructureTests {
    @Test func opusHeadCarriesVersionChannelsPreSkipAndRate() {
        let head = OggOpusWriter.opusHead(channels: 2, preSkip: 312, inputSampleRate: 48000)
        #expect(head == Array("OpusHead".utf8) + [1, 2, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0])
    }

    @Test func opusTagsHoldsVendorAndOneComment() {
        let tags = OggOpusWriter.opusTags(vendor: "v")
        let tag = Array("ENCODER=scream".utf8)
        #expect(tags == Array("OpusTags".utf8) + [1, 0, 0, 0, 0x76, 1, 0, 0, 0, UInt8(tag.count), 0, 0, 0] + tag)
    }

    @Test func pagesFollowRFC7845() throws {
        var params = Preset.classic.params
        params.duration = 3
        let path = try EncodingHarness.writeFile("ogg") { sink in
            _ = try OggOpusWriter.encode(ScreamGenerator(params: params), to: sink, serial: 0x1234_5678)
        }
        defer { unlink(path) }
        let pages = OggPage.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let encoder = try OpusFrameEncoder(channels: 2)
        #expect(pages.count >= 4)
        #expect(pages.allSatisfy { $0.serial == 0x1234_5678 })
        #expect(pages.map(\.sequence) == Array(0..<UInt32(pages.count)))
        #expect(pages[0].flags == 2 && pages[0].granule == 0 && pages[0].segments == [19])
        #expect(pages[0].body.starts(with: Array("OpusHead".utf8)))
        #expect(Int(EncodingHarness.littleEndian(pages[0].body, 10, as: UInt16.self)) == encoder.preSkip)
        #expect(pages[1].flags == 0 && pages[1].granule == 0 && pages[1].body.starts(with: Array("OpusTags".utf8)))
        #expect(pages[1].segments.last! < 255)
        let audio = pages.dropFirst(2)
        #expect(audio.dropLast().allSatisfy { $0.flags & 4 == 0 })
        #expect(audio.last!.flags & 4 == 4)
        #expect(audio.last!.granule == Int64(encoder.preSkip + 144_000))
        #expect(audio.first!.segments.count > 10, "audio packets share pages")
        let granules = audio.map(\.granule)
        #expect(granules == granules.sorted())
        #expect(audio.first!.granule == Int64(audio.first!.segments.filter { $0 < 255 }.count * 960))
    }

    @Test func packetsOfAtLeast255BytesAreLacedWithContinuationSegments() throws {
        let params = Preset.deathMetal.params.applyingDuration(0.5)
        let path = try EncodingHarness.writeFile("ogg") { sink in
            _ = try OggOpusWriter.encode(ScreamGenerator(params: params), to: sink, bitrate: 256_000, serial: 1)
        }
        defer { unlink(path) }
        let pages = OggPage.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(pages.dropFirst(2).contains { $0.segments.contains(255) })
        if opusToolsInstalled {
            let info = try EncodingHarness.run("opusinfo", [path])
            #expect(info.status == 0 && !info.output.lowercased().contains("warning"), "\(info.output)")
        }
    }

    @Test func packetStreamPadsTheLastFrameAndCountsOnlyRealFrames() throws {
        var packets = try OpusPacketStream(source: ScreamGenerator(params: Preset.robot.params.applyingDuration(0.05)))
        var frames = [Int]()
        while let packet = try packets.next() {
            #expect(!packet.bytes.isEmpty)
            frames.append(packet.frames)
        }
        #expect(frames == [960, 960, 480])
        #expect(packets.encoder.lookahead < 480)
        #expect(packets.framesEncoded == 2400 && packets.framesSubmitted == 2880)
    }

    @Test func sourceErrorsReachTheCallerUnchanged() throws {
        var packets = try OpusPacketStream(source: FailingSource(framesBeforeFailure: 1500))
        #expect(try packets.next()?.frames == 960)
        #expect(throws: FailingSource.Failure.self) { try packets.next() }
    }

    @Test func unsupportedRatesChannelsAndBitratesAreTypedErrors() {
        #expect(throws: EncodingError.unsupportedSampleRate(44100)) { try OpusFrameEncoder(sampleRate: 44100, channels: 2) }
        #expect(throws: EncodingError.unsupportedChannels(3)) { try OpusFrameEncoder(channels: 3) }
        #expect(throws: EncodingError.unsupportedBitrate(100)) { try OpusFrameEncoder(channels: 1, bitrate: 100) }
        #expect(EncodingError.unsupportedSampleRate(44100).description.contains("44100 Hz"))
    }
}

@Suite(.enabled(if: opusToolsInstalled, "opus-tools (opusinfo, opusdec) is not installed; run `make setup`"))
struct OggOpusDecoderTests {
    @Test(arguments: [(0.5, 2), (3.0, 2), (61.37, 2), (0.5, 1), (3.0, 1)])
    func opusdecDecodesExactlyTheDuration(duration: Double, channels: Int) throws {
        var params = Preset.classic.params.applyingDuration(duration)
        params.channels = channels
        let path = try EncodingHarness.writeFile("ogg") { sink in
            _ = try OggOpusWriter.encode(ScreamGenerator(params: params), to: sink, serial: 1)
        }
        defer { unlink(path) }
        let info = try EncodingHarness.run("opusinfo", [path])
        #expect(info.status == 0, "\(info.output)")
        #expect(!info.output.lowercased().contains("warning"), "\(info.output)")
        let wav = EncodingHarness.temporaryPath("wav")
        defer { unlink(wav) }
        let decode = try EncodingHarness.run("opusdec", ["--rate", "48000", path, wav])
        #expect(decode.status == 0, "\(decode.output)")
        let data = EncodingHarness.wavData([UInt8](try Data(contentsOf: URL(fileURLWithPath: wav))))
        #expect(data?.count == Int(duration * 48000) * 2 * channels)
    }

    @Test func sixteenKilohertzInputDecodesToTheSameDurationAt48kHz() throws {
        var params = Preset.whisper.params.applyingDuration(1.23)
        params.sampleRate = 16000
        params.channels = 1
        let path = try EncodingHarness.writeFile("ogg") { sink in
            _ = try OggOpusWriter.encode(ScreamGenerator(params: params), to: sink, serial: 1)
        }
        defer { unlink(path) }
        let info = try EncodingHarness.run("opusinfo", [path])
        #expect(info.status == 0 && !info.output.lowercased().contains("warning"), "\(info.output)")
        let wav = EncodingHarness.temporaryPath("wav")
        defer { unlink(wav) }
        #expect(try EncodingHarness.run("opusdec", ["--rate", "48000", path, wav]).status == 0)
        let data = EncodingHarness.wavData([UInt8](try Data(contentsOf: URL(fileURLWithPath: wav))))
        #expect(data?.count == params.sampleCount * 3 * 2)
    }

    @Test func streamThroughAPipeIsAValidFile() throws {
        let params = Preset.robot.params.applyingDuration(1.5)
        let path = try EncodingHarness.writePipe("ogg") { sink in
            _ = try OggOpusWriter.encode(ScreamGenerator(params: params), to: sink, serial: 1)
        }
        defer { unlink(path) }
        let info = try EncodingHarness.run("opusinfo", [path])
        #expect(info.status == 0 && !info.output.lowercased().contains("warning"), "\(info.output)")
        #expect(info.output.contains("Playback length: 0m:01.500s"), "\(info.output)")
    }

    @Test(arguments: [1, 2])
    func ffprobeReportsOpusAt48kHzWithTheChannelCount(channels: Int) throws {
        try #require(EncodingHarness.installed("ffprobe"), "ffprobe is not installed; run `make setup`")
        var params = Preset.banshee.params.applyingDuration(1)
        params.channels = channels
        let path = try EncodingHarness.writeFile("ogg") { sink in
            _ = try OggOpusWriter.encode(ScreamGenerator(params: params), to: sink, serial: 1)
        }
        defer { unlink(path) }
        let probe = try EncodingHarness.run("ffprobe", [
            "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "default=nw=1", path,
        ])
        #expect(probe.status == 0)
        #expect(probe.output.contains("codec_name=opus"))
        #expect(probe.output.contains("sample_rate=48000"))
        #expect(probe.output.contains("channels=\(channels)"))
    }
}

/// A mono source of silence that fails once it has delivered a set number of frames.
private struct FailingSource: PCMSource {
    struct Failure: Error {}
    let framesBeforeFailure: Int
    var delivered = 0
    var channels: Int { 1 }
    var sampleRate: Int { 48000 }

    mutating func read(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        let frames = min(buffer.count, framesBeforeFailure - delivered)
        guard frames > 0 else { throw Failure() }
        buffer.update(repeating: 0)
        delivered += frames
        return frames
    }
}

/// One parsed Ogg page (RFC 3533), enough to check the stream's structure.
struct OggPage {
    var flags: UInt8
    var granule: Int64
    var serial: UInt32
    var sequence: UInt32
    var segments: [UInt8]
    var body: [UInt8]

    static func parse(_ bytes: [UInt8]) -> [OggPage] {
        var pages = [OggPage]()
        var offset = 0
        while offset + 27 <= bytes.count, bytes[offset..<(offset + 4)].elementsEqual("OggS".utf8) {
            let count = Int(bytes[offset + 26])
            let segments = Array(bytes[(offset + 27)..<(offset + 27 + count)])
            let start = offset + 27 + count
            let length = segments.reduce(0) { $0 + Int($1) }
            pages.append(OggPage(
                flags: bytes[offset + 5],
                granule: EncodingHarness.littleEndian(bytes, offset + 6, as: Int64.self),
                serial: EncodingHarness.littleEndian(bytes, offset + 14, as: UInt32.self),
                sequence: EncodingHarness.littleEndian(bytes, offset + 18, as: UInt32.self),
                segments: segments, body: Array(bytes[start..<(start + length)])))
            offset = start + length
        }
        return pages
    }
}
