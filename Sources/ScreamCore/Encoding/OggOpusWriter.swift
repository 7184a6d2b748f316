import COgg
import COpus

/// Writes Opus packets as an Ogg Opus stream (RFC 7845).
///
/// Page 1 holds OpusHead alone, page 2 ends with OpusTags, then audio packets share pages.
/// Each packet's granule is the 48 kHz samples decodable through it (pre-skip included);
/// the last one is flagged end-of-stream with granule pre-skip + the exact real sample
/// count, so decoders trim the padding. One packet is held back until `finish()` for that.
public final class OggOpusWriter {
    /// The stream's serial number.
    public let serial: Int32
    private let sink: ByteSink
    private let stream: UnsafeMutablePointer<ogg_stream_state>
    private let preSkip: Int64
    private let granuleScale: Int64
    private var held: [UInt8]
    private var heldLength = 0
    private var heldGranule: Int64 = 0
    private var packetNumber: Int64 = 0
    private var position: Int64 = 0
    private var realFrames: Int64 = 0
    private var state = State.headersWritten

    private enum State { case headersWritten, holdingPacket, finished }

    /// Starts a stream on `sink` and writes the two header pages.
    ///
    /// `preSkip` is in 48 kHz samples (`OpusFrameEncoder.preSkip`); `inputSampleRate` is
    /// recorded in OpusHead and sets how packet frame counts convert to granules.
    public init(
        sink: ByteSink, channels: Int, inputSampleRate: Int, preSkip: Int,
        serial: Int32, vendor: String = String(cString: opus_get_version_string())
    ) throws(EncodingError) {
        guard OpusFrameEncoder.supportedSampleRates.contains(inputSampleRate) else {
            throw .unsupportedSampleRate(inputSampleRate)
        }
        guard channels == 1 || channels == 2 else { throw .unsupportedChannels(channels) }
        self.sink = sink
        self.serial = serial
        self.preSkip = Int64(preSkip)
        self.granuleScale = Int64(48000 / inputSampleRate)
        held = [UInt8](repeating: 0, count: OpusFrameEncoder.maxPacketSize)
        stream = .allocate(capacity: 1)
        guard ogg_stream_init(stream, serial) == 0 else {
            stream.deallocate()
            throw .ogg
        }
        try submit(Self.opusHead(channels: channels, preSkip: preSkip, inputSampleRate: inputSampleRate),
                   granule: 0, endOfStream: false)
        try flush()
        try submit(Self.opusTags(vendor: vendor), granule: 0, endOfStream: false)
        try flush()
    }

    deinit {
        ogg_stream_clear(stream)
        stream.deallocate()
    }

    /// Adds one Opus packet carrying `frames` frames of real audio (per channel, input rate).
    public func append(_ packet: UnsafeRawBufferPointer, frames: Int) throws(EncodingError) {
        precondition(state != .finished, "append after finish")
        precondition(packet.count <= held.count, "an Opus packet is at most \(held.count) bytes")
        let duration = opus_packet_get_nb_samples(
            packet.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(packet.count), 48000)
        guard duration >= 0 else { throw .opus(String(cString: opus_strerror(duration))) }
        if state == .holdingPacket { try submitHeld(endOfStream: false) }
        held.withUnsafeMutableBytes { $0.copyMemory(from: packet) }
        heldLength = packet.count
        position += Int64(duration)
        realFrames += Int64(frames)
        heldGranule = position
        state = .holdingPacket
    }

    /// Adds one packet from an `OpusPacketStream`.
    public func append(_ packet: OpusPacket) throws(EncodingError) {
        try packet.bytes.withUnsafeBytes { raw in
            Result { () throws(EncodingError) in try append(raw, frames: packet.frames) }
        }.get()
    }

    /// Flags the last packet end-of-stream and writes every remaining page.
    public func finish() throws(EncodingError) {
        precondition(state == .holdingPacket, "an Ogg Opus stream needs at least one audio packet")
        heldGranule = preSkip + realFrames * granuleScale
        precondition(heldGranule <= position, "the packets must cover the pre-skip and every real sample")
        try submitHeld(endOfStream: true)
        try flush()
        state = .finished
    }

    /// Encodes all of `source` into an Ogg Opus stream on `sink`; returns the real frame count.
    public static func encode<Source: PCMSource>(
        _ source: Source, to sink: ByteSink, bitrate: Int = 64000, serial: Int32
    ) throws -> Int {
        var packets = try OpusPacketStream(source: source, bitrate: bitrate)
        let writer = try OggOpusWriter(
            sink: sink, channels: source.channels, inputSampleRate: source.sampleRate,
            preSkip: packets.encoder.preSkip, serial: serial)
        while let packet = try packets.next() {
            try writer.append(packet)
        }
        try writer.finish()
        return packets.framesEncoded
    }

    private func submitHeld(endOfStream: Bool) throws(EncodingError) {
        let (length, granule) = (heldLength, heldGranule)
        try held.withUnsafeBytes { raw in
            Result { () throws(EncodingError) in
                try submit(UnsafeRawBufferPointer(rebasing: raw[..<length]), granule: granule, endOfStream: endOfStream)
            }
        }.get()
        if !endOfStream { try pageOut() }
    }

    private func submit(_ bytes: [UInt8], granule: Int64, endOfStream: Bool) throws(EncodingError) {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(EncodingError) in try submit(raw, granule: granule, endOfStream: endOfStream) }
        }.get()
    }

    private func submit(_ bytes: UnsafeRawBufferPointer, granule: Int64, endOfStream: Bool) throws(EncodingError) {
        var packet = ogg_packet(
            packet: UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)),
            bytes: bytes.count, b_o_s: packetNumber == 0 ? 1 : 0, e_o_s: endOfStream ? 1 : 0,
            granulepos: granule, packetno: packetNumber)
        guard ogg_stream_packetin(stream, &packet) == 0 else { throw .ogg }
        packetNumber += 1
    }

    private func pageOut() throws(EncodingError) {
        var page = ogg_page()
        while ogg_stream_pageout(stream, &page) != 0 { try write(page) }
    }

    private func flush() throws(EncodingError) {
        var page = ogg_page()
        while ogg_stream_flush(stream, &page) != 0 { try write(page) }
    }

    private func write(_ page: ogg_page) throws(EncodingError) {
        try sink.write(UnsafeRawBufferPointer(start: page.header, count: page.header_len))
        try sink.write(UnsafeRawBufferPointer(start: page.body, count: page.body_len))
    }

    /// The RFC 7845 identification header (mapping family 0, output gain 0).
    static func opusHead(channels: Int, preSkip: Int, inputSampleRate: Int) -> [UInt8] {
        var bytes = Array("OpusHead".utf8)
        bytes.append(1)
        bytes.append(UInt8(channels))
        bytes.appendLittleEndian(UInt16(preSkip))
        bytes.appendLittleEndian(UInt32(inputSampleRate))
        bytes.appendLittleEndian(UInt16(0))
        bytes.append(0)
        return bytes
    }

    /// The RFC 7845 comment header: vendor string and one `ENCODER` tag.
    static func opusTags(vendor: String) -> [UInt8] {
        let tag = Array("ENCODER=scream".utf8)
        var bytes = Array("OpusTags".utf8)
        bytes.appendLittleEndian(UInt32(vendor.utf8.count))
        bytes.append(contentsOf: vendor.utf8)
        bytes.appendLittleEndian(UInt32(1))
        bytes.appendLittleEndian(UInt32(tag.count))
        bytes.append(contentsOf: tag)
        return bytes
    }
}

extension [UInt8] {
    /// Appends `value` as little-endian bytes.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
