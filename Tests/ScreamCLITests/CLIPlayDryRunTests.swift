import Foundation
import Testing

/// `scream play --dry-run`: no token, no network, and a summary of exactly the packets that
/// would be sent, checked against the Ogg preview and a WAV render of the same scream.
@Suite struct CLIPlayDryRunTests {
    /// The Opus audio packets in an Ogg stream (the two header packets skipped): count and bytes.
    private func audioPackets(inOgg data: Data) -> (count: Int, bytes: Int) {
        var offset = data.startIndex
        var packetSizes: [Int] = []
        var current = 0
        while offset + 27 <= data.endIndex, data[offset..<(offset + 4)] == Data("OggS".utf8) {
            let segments = Int(data[offset + 26])
            let table = data[(offset + 27)..<(offset + 27 + segments)]
            for lacing in table {
                current += Int(lacing)
                if lacing < 255 {
                    packetSizes.append(current)
                    current = 0
                }
            }
            offset += 27 + segments + table.reduce(0) { $0 + Int($1) }
        }
        let audio = packetSizes.dropFirst(2)
        return (audio.count, audio.reduce(0, +))
    }

    /// The peak of 16-bit PCM after a 44-byte WAV header, in dBFS to one decimal.
    private func peakText(ofWAV data: Data) -> String {
        var peak = 0
        var index = data.startIndex + 44
        while index + 1 < data.endIndex {
            let sample = Int(Int16(bitPattern: UInt16(data[index]) | UInt16(data[index + 1]) << 8))
            peak = max(peak, abs(sample))
            index += 2
        }
        let tenths = Int((200 * log10(Double(peak) / 32768)).rounded())
        return "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10).\(abs(tenths) % 10) dBFS"
    }

    @Test func dryRunSummarizesThePacketsItWouldSendAndSavesThemAsOgg() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(
            ["play", "--guild", "1234", "--dry-run", "--preset", "classic", "--output", "preview.ogg"], in: folder)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let preview = try Data(contentsOf: folder.appendingPathComponent("preview.ogg"))
        let packets = audioPackets(inOgg: preview)
        // 3 s at 20 ms per packet is 150 packets, plus one to flush the encoder's lookahead.
        #expect(packets.count == 151)
        let wav = try ScreamBinary.run(["generate", "-", "--format", "wav", "--preset", "classic"], in: folder)
        let peak = peakText(ofWAV: wav.stdout)
        #expect(result.stdoutText == "dry run: preset classic, 3s, \(packets.count) frames, \(packets.bytes) bytes, peak \(peak); nothing was sent.\n")
        #expect(try entries(of: folder) == ["preview.ogg"])
    }

    @Test func dryRunNeedsNoGuildTokenOrNetworkAndReportsTheSeed() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["play", "--dry-run", "--seed", "7", "--duration", "1s"], in: folder)
        #expect(result.status == 0)
        #expect(result.stderr == "seed: 7\n")
        #expect(result.stdoutText.hasPrefix("dry run: seed 7, 1s, 51 frames, "))
        #expect(try entries(of: folder).isEmpty)
    }

    @Test func positionalGuildAndChannelAreAccepted() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["play", "1234", "5678", "--dry-run", "--preset", "whisper", "--duration", "0.5s"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("dry run: preset whisper, 0.5s, 26 frames, "))
    }

    @Test func dryRunRendersA16kHzMonoParameterFileAs48kHzStereoAsDiscordCarriesIt() throws {
        let folder = try scratchFolder()
        try "sample_rate: 16000\nchannels: 1\n".write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let result = try ScreamBinary.run(
            ["play", "--dry-run", "--params", "p.yaml", "--duration", "0.5s", "--output", "preview.ogg"], in: folder)
        #expect(result.status == 0)
        let preview = try Data(contentsOf: folder.appendingPathComponent("preview.ogg"))
        let head = try #require(preview.range(of: Data("OpusHead".utf8)))
        // OpusHead (RFC 7845 5.1): version at +8, channel count at +9, input sample rate at +12 (32-bit LE).
        #expect(preview[head.lowerBound + 9] == 2)
        #expect(preview.littleEndian(at: head.lowerBound - preview.startIndex + 12, width: 4) == 48000)
    }
}
