/// RTP as Discord voice uses it: version 2, payload type 0x78 (Opus), 48 kHz.
public enum RTP {
    /// Samples per 20 ms Opus frame at 48 kHz: the timestamp step.
    public static let samplesPerFrame: UInt32 = 960

    /// The fixed 12-byte RTP header.
    public struct Header: Sendable, Hashable {
        /// Packet sequence number, +1 per packet.
        public var sequence: UInt16
        /// Sample clock, +960 per 20 ms frame.
        public var timestamp: UInt32
        /// Synchronization source assigned by the voice server.
        public var ssrc: UInt32

        /// The header's size on the wire.
        public static let size = 12

        /// A header with the given fields.
        public init(sequence: UInt16, timestamp: UInt32, ssrc: UInt32) {
            self.sequence = sequence
            self.timestamp = timestamp
            self.ssrc = ssrc
        }

        /// Writes `80 78 seq ts ssrc` (big-endian) at the start of `bytes`, which must hold 12 bytes.
        public func write(into bytes: inout [UInt8]) {
            bytes[0] = 0x80
            bytes[1] = 0x78
            bytes[2] = UInt8(truncatingIfNeeded: sequence >> 8)
            bytes[3] = UInt8(truncatingIfNeeded: sequence)
            bytes[4] = UInt8(truncatingIfNeeded: timestamp >> 24)
            bytes[5] = UInt8(truncatingIfNeeded: timestamp >> 16)
            bytes[6] = UInt8(truncatingIfNeeded: timestamp >> 8)
            bytes[7] = UInt8(truncatingIfNeeded: timestamp)
            bytes[8] = UInt8(truncatingIfNeeded: ssrc >> 24)
            bytes[9] = UInt8(truncatingIfNeeded: ssrc >> 16)
            bytes[10] = UInt8(truncatingIfNeeded: ssrc >> 8)
            bytes[11] = UInt8(truncatingIfNeeded: ssrc)
        }

        /// The header's 12 bytes.
        public var bytes: [UInt8] {
            var out = [UInt8](repeating: 0, count: Header.size)
            write(into: &out)
            return out
        }
    }

    /// Builds successive encrypted RTP packets for one SSRC.
    public struct Packetizer: Sendable {
        /// The header the next packet will carry.
        public private(set) var header: Header
        private var encryptor: TransportEncryptor

        /// Starts at the given sequence number and timestamp.
        public init(ssrc: UInt32, sequence: UInt16, timestamp: UInt32, encryptor: TransportEncryptor) {
            self.header = Header(sequence: sequence, timestamp: timestamp, ssrc: ssrc)
            self.encryptor = encryptor
        }

        /// Writes the next packet for `payload` into `packet` and advances sequence and timestamp.
        public mutating func packetize(_ payload: [UInt8], into packet: inout [UInt8]) throws(DiscordVoiceError) {
            try encryptor.seal(header: header, payload: payload, into: &packet)
            header.sequence &+= 1
            header.timestamp &+= RTP.samplesPerFrame
        }
    }
}
