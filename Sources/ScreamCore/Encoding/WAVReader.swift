#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a 16-bit PCM WAV file (mono or stereo) block by block, as `WAVWriter` writes it.
public struct WAVReader: PCMSource {
    /// Samples per frame.
    public let channels: Int
    /// Frames per second.
    public let sampleRate: Int
    /// Frames the `data` chunk holds.
    public let frameCount: Int
    private let file: InputFile
    private var framesLeft: Int

    /// Opens `file` and reads its header up to the start of the samples.
    init(file: InputFile) throws {
        self.file = file
        let path = file.path
        let riff = try Self.bytes(12, from: file)
        guard riff.count == 12, riff[0..<4].elementsEqual("RIFF".utf8), riff[8..<12].elementsEqual("WAVE".utf8) else {
            throw DecodingError.notAudio(path: path)
        }
        var format: (channels: Int, rate: Int, bits: Int, tag: Int)?
        while true {
            let header = try Self.bytes(8, from: file)
            guard header.count == 8 else { throw DecodingError.damaged(path: path, reason: "the WAV file has no data chunk") }
            let size = Self.littleEndian(header, 4, 4)
            if header[0..<4].elementsEqual("fmt ".utf8) {
                let body = try Self.bytes(size + size % 2, from: file)
                guard size >= 16, body.count >= 16 else { throw DecodingError.damaged(path: path, reason: "the WAV format chunk is too short") }
                format = (Self.littleEndian(body, 2, 2), Self.littleEndian(body, 4, 4), Self.littleEndian(body, 14, 2),
                          Self.littleEndian(body, 0, 2))
            } else if header[0..<4].elementsEqual("data".utf8) {
                guard let format else { throw DecodingError.damaged(path: path, reason: "the WAV data chunk comes before its format") }
                guard format.tag == 1 || format.tag == 0xFFFE, format.bits == 16, (1...2).contains(format.channels),
                    format.rate > 0
                else {
                    throw DecodingError.damaged(path: path, reason: "only 16-bit PCM WAV with 1 or 2 channels can be read")
                }
                channels = format.channels
                sampleRate = format.rate
                frameCount = size / (2 * channels)
                framesLeft = frameCount
                return
            } else if lseek(file.descriptor, off_t(size + size % 2), SEEK_CUR) < 0 {
                throw DecodingError.unreadable(path: path, errno: errno)
            }
        }
    }

    /// Fills `buffer` with the next whole frames; 0 at the end of the data chunk.
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        let frames = min(buffer.count / channels, framesLeft)
        guard frames > 0 else { return 0 }
        let wanted = frames * channels * 2
        let got = try file.read(into: UnsafeMutableRawBufferPointer(start: buffer.baseAddress, count: wanted))
        guard got == wanted else {
            throw DecodingError.damaged(path: file.path, reason: "the WAV file ends before its data chunk does")
        }
        #if _endian(big)
        #error("WAVReader reads host-order samples and needs a little-endian host")
        #endif
        framesLeft -= frames
        return frames
    }

    private static func bytes(_ count: Int, from file: InputFile) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { raw in try file.read(into: raw) }
        return Array(bytes[..<got])
    }

    private static func littleEndian(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> Int {
        (0..<width).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
}
