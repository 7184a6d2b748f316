import Crypto
import Testing

@testable import DiscordVoice

/// RTP headers and rtpsize AEAD, checked against bytes computed independently (Python `cryptography`,
/// with HChaCha20 written out from draft-irtf-cfrg-xchacha and checked against its §2.2.1 vector).
@Suite struct TransportTests {
    static let key = [UInt8](0..<32)
    static let header = RTP.Header(sequence: 0x1234, timestamp: 0x5678_9ABC, ssrc: 0xDEAD_BEEF)
    static let payload: [UInt8] = [0xFC, 0xFF, 0xFE, 0x01, 0x02, 0x03, 0x04, 0x05]

    @Test func rtpHeaderIsVersion2OpusWithBigEndianFields() {
        #expect(Self.header.bytes == [0x80, 0x78, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xAD, 0xBE, 0xEF])
    }

    @Test func aesNonceIsCounterBigEndianThenEightZeros() {
        #expect(
            TransportEncryptor.nonce(counter: 0x0102_0304, mode: .aes256GCM)
                == [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func xchachaNonceIsCounterBigEndianThenTwentyZeros() {
        #expect(
            TransportEncryptor.nonce(counter: 7, mode: .xchacha20Poly1305)
                == [0, 0, 0, 7] + [UInt8](repeating: 0, count: 20))
    }

    @Test func aesGCMPacketMatchesIndependentlyComputedBytes() throws {
        var encryptor = try TransportEncryptor(mode: .aes256GCM, secretKey: Self.key, counter: 7)
        var packet: [UInt8] = []
        try encryptor.seal(header: Self.header, payload: Self.payload, into: &packet)
        #expect(packet == hex("8078123456789abcdeadbeefa3182a80782b278e49755849676a992780233bbd3bf209d800000007"))
        #expect(encryptor.counter == 8)
    }

    @Test func xchachaPacketMatchesIndependentlyComputedBytes() throws {
        var encryptor = try TransportEncryptor(mode: .xchacha20Poly1305, secretKey: Self.key, counter: 7)
        var packet: [UInt8] = []
        try encryptor.seal(header: Self.header, payload: Self.payload, into: &packet)
        #expect(packet == hex("8078123456789abcdeadbeef4a48a3367ac1ad4e9f571a803a68cceff326b90ed18097fc00000007"))
    }

    @Test func aesPacketOpensWithSwiftCryptoUsingTheAppendedCounter() throws {
        var encryptor = try TransportEncryptor(mode: .aes256GCM, secretKey: Self.key, counter: 0xFFFF_FFFF)
        var packet: [UInt8] = []
        try encryptor.seal(header: Self.header, payload: Self.payload, into: &packet)
        let counter = Array(packet.suffix(4))
        let body = packet[12..<(packet.count - 4)]
        let box = try AES.GCM.SealedBox(
            nonce: AES.GCM.Nonce(data: counter + [UInt8](repeating: 0, count: 8)),
            ciphertext: body.dropLast(16), tag: body.suffix(16))
        let opened = try AES.GCM.open(box, using: SymmetricKey(data: Self.key), authenticating: packet[0..<12])
        #expect(Array(opened) == Self.payload)
        #expect(counter == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(encryptor.counter == 0)
    }

    @Test func shortSecretKeyIsRejectedWithASentence() {
        #expect(throws: DiscordVoiceError.self) {
            _ = try TransportEncryptor(mode: .aes256GCM, secretKey: [1, 2, 3])
        }
    }

    @Test func aesIsPreferredAndXChaChaIsTheFallback() {
        let all = ["xsalsa20_poly1305", "aead_xchacha20_poly1305_rtpsize", "aead_aes256_gcm_rtpsize"]
        #expect(TransportEncryptionMode.preferred(from: all) == .aes256GCM)
        #expect(TransportEncryptionMode.preferred(from: Array(all.prefix(2))) == .xchacha20Poly1305)
        #expect(TransportEncryptionMode.preferred(from: ["xsalsa20_poly1305"]) == nil)
    }

    @Test func packetizerStepsSequenceByOneAndTimestampBy960WithWraparound() throws {
        let encryptor = try TransportEncryptor(mode: .aes256GCM, secretKey: Self.key)
        var packetizer = RTP.Packetizer(ssrc: 42, sequence: 0xFFFF, timestamp: 0xFFFF_FF00, encryptor: encryptor)
        var packet: [UInt8] = []
        try packetizer.packetize([0xF8, 0xFF, 0xFE], into: &packet)
        #expect(Array(packet[0..<12]) == [0x80, 0x78, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0, 0, 0, 42])
        #expect(packet.count == 12 + 3 + 16 + 4)
        try packetizer.packetize([0xF8, 0xFF, 0xFE], into: &packet)
        #expect(Array(packet[0..<12]) == [0x80, 0x78, 0x00, 0x00, 0x00, 0x00, 0x02, 0xC0, 0, 0, 0, 42])
        #expect(Array(packet.suffix(4)) == [0, 0, 0, 1])
    }
}

/// Bytes from a hex string written in a test.
func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}
