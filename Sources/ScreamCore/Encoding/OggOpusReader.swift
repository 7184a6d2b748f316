import COgg
import COpus

/// Decodes an Ogg Opus file (channel mapping family 0: mono or stereo) to 48 kHz PCM through
/// libogg and libopus, trimming the pre-skip and the padding after the last real sample.
///
/// The file is read into memory (Opus is small: 10 minutes at 64 kbit/s is under 5 MB) and
/// walked twice: once for the last granule position, which gives the sample count up front,
/// then page by page to decode.
public final class OggOpusReader: PCMSource {
    /// Samples per frame.
    public let channels: Int
    /// Always 48000: Opus decodes at 48 kHz whatever rate the header records.
    public let sampleRate = 48_000
    /// Real frames in the stream: the last granule position minus the pre-skip.
    public let frameCount: Int
    private let path: String
    private var sync = ogg_sync_state()
    private var stream = ogg_stream_state()
    private let decoder: OpaquePointer
    private var decoded: [Int16]
    private var decodedFrames = 0
    private var decodedOffset = 0
    private var skip: Int
    private var framesLeft: Int
    private var streamEnded = false

    /// The most frames one Opus packet decodes to (120 ms at 48 kHz).
    private static let maxPacketFrames = 5760

    /// Reads `file` and its OpusHead.
    init(file: InputFile) throws {
        let path = file.path
        self.path = path
        let bytes = try file.readAll()
        guard bytes.starts(with: "OggS".utf8) else { throw DecodingError.notAudio(path: path) }
        let (serial, lastGranule) = try Self.scan(bytes, path: path)
        ogg_sync_init(&sync)
        ogg_stream_init(&stream, serial)
        Self.load(bytes, into: &sync)
        var head = [UInt8]()
        var tagsSeen = false
        var packet = ogg_packet()
        while !tagsSeen {
            guard Self.nextPacket(&packet, sync: &sync, stream: &stream) else {
                ogg_stream_clear(&stream)
                ogg_sync_clear(&sync)
                throw DecodingError.damaged(path: path, reason: "the Ogg stream ends inside its Opus headers")
            }
            if head.isEmpty {
                head = Array(UnsafeBufferPointer(start: packet.packet, count: packet.bytes))
            } else {
                tagsSeen = true
            }
        }
        guard head.count >= 19, head.starts(with: "OpusHead".utf8), head[18] == 0, (1...2).contains(head[9]) else {
            ogg_stream_clear(&stream)
            ogg_sync_clear(&sync)
            throw DecodingError.damaged(path: path, reason: "only mono or stereo Ogg Opus can be read")
        }
        channels = Int(head[9])
        skip = Int(head[10]) | Int(head[11]) << 8
        frameCount = max(0, Int(lastGranule) - skip)
        framesLeft = frameCount
        var error: Int32 = 0
        guard let decoder = opus_decoder_create(48_000, Int32(channels), &error), error == OPUS_OK else {
            ogg_stream_clear(&stream)
            ogg_sync_clear(&sync)
            throw DecodingError.damaged(path: path, reason: "the Opus decoder could not start")
        }
        self.decoder = decoder
        decoded = [Int16](repeating: 0, count: Self.maxPacketFrames * channels)
    }

    deinit {
        opus_decoder_destroy(decoder)
        ogg_stream_clear(&stream)
        ogg_sync_clear(&sync)
    }

    /// Fills `buffer` with the next whole frames; 0 after the last real frame.
    public func read(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        var written = 0
        let room = buffer.count / channels
        while written < room, framesLeft > 0 {
            if decodedOffset == decodedFrames {
                guard try decodeNextPacket() else { break }
                continue
            }
            let count = min(room - written, decodedFrames - decodedOffset, framesLeft)
            decoded.withUnsafeBufferPointer { source in
                let from = source.baseAddress! + decodedOffset * channels
                (buffer.baseAddress! + written * channels).update(from: from, count: count * channels)
            }
            written += count
            decodedOffset += count
            framesLeft -= count
        }
        return written
    }

    /// Decodes the next audio packet into `decoded`, dropping what the pre-skip covers;
    /// false at the end of the stream.
    private func decodeNextPacket() throws -> Bool {
        var packet = ogg_packet()
        guard !streamEnded, Self.nextPacket(&packet, sync: &sync, stream: &stream) else {
            streamEnded = true
            return false
        }
        let frames = decoded.withUnsafeMutableBufferPointer { out in
            opus_decode(decoder, packet.packet, Int32(packet.bytes), out.baseAddress!, Int32(Self.maxPacketFrames), 0)
        }
        guard frames >= 0 else {
            throw DecodingError.damaged(path: path, reason: "an Opus packet does not decode (\(String(cString: opus_strerror(frames))))")
        }
        let dropped = min(skip, Int(frames))
        skip -= dropped
        decodedOffset = dropped
        decodedFrames = Int(frames)
        return true
    }

    /// The serial number of the first stream and the last granule position it reaches.
    private static func scan(_ bytes: [UInt8], path: String) throws -> (Int32, Int64) {
        var sync = ogg_sync_state()
        ogg_sync_init(&sync)
        defer { ogg_sync_clear(&sync) }
        load(bytes, into: &sync)
        var page = ogg_page()
        var serial: Int32?
        var granule: Int64 = -1
        while true {
            let result = ogg_sync_pageout(&sync, &page)
            if result == 0 { break }
            if result < 0 { continue }
            let pageSerial = ogg_page_serialno(&page)
            if serial == nil { serial = pageSerial }
            if pageSerial == serial, ogg_page_granulepos(&page) >= 0 { granule = ogg_page_granulepos(&page) }
        }
        guard let serial, granule >= 0 else { throw DecodingError.damaged(path: path, reason: "the Ogg stream has no complete page") }
        return (serial, granule)
    }

    /// Hands all of `bytes` to `sync`.
    private static func load(_ bytes: [UInt8], into sync: inout ogg_sync_state) {
        let buffer = ogg_sync_buffer(&sync, bytes.count)!
        bytes.withUnsafeBytes { UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        ogg_sync_wrote(&sync, bytes.count)
    }

    /// The next packet of `stream`, pulling pages from `sync` as needed; false when none is left.
    private static func nextPacket(
        _ packet: inout ogg_packet, sync: inout ogg_sync_state, stream: inout ogg_stream_state
    ) -> Bool {
        while true {
            let result = ogg_stream_packetout(&stream, &packet)
            if result == 1 { return true }
            if result < 0 { continue }
            var page = ogg_page()
            var pageResult: Int32
            repeat { pageResult = ogg_sync_pageout(&sync, &page) } while pageResult < 0
            if pageResult == 0 { return false }
            ogg_stream_pagein(&stream, &page)
        }
    }
}
