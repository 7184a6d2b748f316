import Crypto
import Testing
@testable import DAVE

@Suite struct FrameCryptoTests {
    /// Base secret 00 01 … 0f and the Opus-like payload used by Tests/Interop/frame_reference.py.
    static let baseSecret = SymmetricKey(data: Array(0..<16) as [UInt8])
    static let opus: [UInt8] = [0xFC, 0xFF, 0xFE] + Array(1...20)

    /// Expected frames printed by `python Tests/Interop/frame_reference.py`, by frame number.
    static let reference: [UInt64: String] = [
        1: "2721fde2a61481405e6b0fbe795ad45ab302cd6b8506640340c9f581a453d3010cfafa",
        200: "34e089d2c40b70470233ff9e6e88a6fcb96a125f9fc06e675396d408c99713c8010dfafa",
        1 << 24: "326f6dd8d413d8ab93fa920a35c4bf1e30248218b7b28eefa6d2c3dba71e1e808080080ffafa",
        1 << 32: "eb4d32a8f2037a80a2c8f36f4f14271f343a96edd78a4d68f5e61669798933000cfafa",
    ]

    /// An encryptor whose next frame is frame number `next`, its ratchet already at that generation.
    static func encryptor(nextFrame next: UInt64) throws -> DAVE.FrameEncryptor {
        var ratchet = DAVE.HashRatchet(baseSecret: baseSecret)
        _ = try ratchet.key(for: UInt32((next - 1) >> 24))
        return DAVE.FrameEncryptor(ratchet: ratchet, framesEncrypted: next - 1)
    }

    @Test func firstFrameUsesNonceOneAndMatchesReference() throws {
        var encryptor = DAVE.FrameEncryptor(baseSecret: Self.baseSecret)
        var frame: [UInt8] = []
        try encryptor.encrypt(Self.opus, into: &frame)
        #expect(frame.hex == Self.reference[1])
        // By hand: ciphertext as long as the packet, 8 tag bytes, nonce 1 as one ULEB128 byte,
        // supplemental size 8 + 1 + 1 + 2 = 12, then the marker.
        #expect(frame.count == Self.opus.count + 8 + 4)
        #expect(Array(frame.suffix(4)) == [0x01, 0x0C, 0xFA, 0xFA])
    }

    @Test func nonce200TakesTwoULEB128BytesAndMatchesReference() throws {
        var encryptor = DAVE.FrameEncryptor(baseSecret: Self.baseSecret)
        var frame: [UInt8] = []
        for _ in 1...200 { try encryptor.encrypt(Self.opus, into: &frame) }
        #expect(frame.hex == Self.reference[200])
        // 200 = 0b1_1001000: low seven bits with the continuation bit (0xC8), then 0x01; size 13.
        #expect(Array(frame.suffix(5)) == [0xC8, 0x01, 0x0D, 0xFA, 0xFA])
    }

    @Test func frame2To24StartsGenerationOne() throws {
        var encryptor = try Self.encryptor(nextFrame: 1 << 24)
        var frame: [UInt8] = []
        try encryptor.encrypt(Self.opus, into: &frame)
        #expect(frame.hex == Self.reference[1 << 24])
        // 2^24 in ULEB128 is 80 80 80 08; size 8 + 4 + 1 + 2 = 15.
        #expect(Array(frame.suffix(7)) == [0x80, 0x80, 0x80, 0x08, 0x0F, 0xFA, 0xFA])
    }

    @Test func nonceWrapContinuesAtGeneration256() throws {
        var encryptor = try Self.encryptor(nextFrame: (1 << 32) - 1)
        var decryptor = DAVE.FrameDecryptor(baseSecret: Self.baseSecret)
        var frame: [UInt8] = []
        var decrypted: [UInt8] = []
        var generations: [UInt32] = []
        for number in ((1 << 32) - 1)...((1 << 32) + 1) as ClosedRange<UInt64> {
            try encryptor.encrypt(Self.opus, into: &frame)
            if let expected = Self.reference[number] { #expect(frame.hex == expected) }
            try decryptor.decrypt(frame, into: &decrypted)
            #expect(decrypted == Self.opus)
            generations.append(decryptor.generation)
        }
        #expect(generations == [255, 256, 256])
    }

    @Test func roundTripOfManyFramesOfEverySize() throws {
        let secret = SymmetricKey(size: .bits128)
        var encryptor = DAVE.FrameEncryptor(baseSecret: secret)
        var decryptor = DAVE.FrameDecryptor(baseSecret: secret)
        var frame: [UInt8] = []
        var decrypted: [UInt8] = []
        for size in 1...400 {
            let packet = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ size) }
            try encryptor.encrypt(packet, into: &frame)
            #expect(frame.count > packet.count)
            try decryptor.decrypt(frame, into: &decrypted)
            #expect(decrypted == packet)
        }
    }

    @Test func silenceFramesPassThroughWithoutUsingANonce() throws {
        var encryptor = DAVE.FrameEncryptor(baseSecret: Self.baseSecret)
        var decryptor = DAVE.FrameDecryptor(baseSecret: Self.baseSecret)
        var frame: [UInt8] = []
        try encryptor.encrypt([0xF8, 0xFF, 0xFE], into: &frame)
        #expect(frame == [0xF8, 0xFF, 0xFE])
        var decrypted: [UInt8] = []
        try decryptor.decrypt(frame, into: &decrypted)
        #expect(decrypted == [0xF8, 0xFF, 0xFE])
        try encryptor.encrypt(Self.opus, into: &frame)
        #expect(frame.hex == Self.reference[1])
    }

    @Test func tamperedFramesAreRejected() throws {
        var encryptor = DAVE.FrameEncryptor(baseSecret: Self.baseSecret)
        var frame: [UInt8] = []
        try encryptor.encrypt(Self.opus, into: &frame)
        var decrypted: [UInt8] = []
        for index in 0..<(Self.opus.count + 9) {
            var tampered = frame
            tampered[index] ^= 0x01
            var decryptor = DAVE.FrameDecryptor(baseSecret: Self.baseSecret)
            #expect(throws: DAVEError.authenticationFailed) { try decryptor.decrypt(tampered, into: &decrypted) }
        }
        var otherKey = DAVE.FrameDecryptor(baseSecret: SymmetricKey(size: .bits128))
        #expect(throws: DAVEError.authenticationFailed) { try otherKey.decrypt(frame, into: &decrypted) }
    }

    @Test func forgedFrameFromALaterGenerationDoesNotMoveTheRatchet() throws {
        var encryptor = DAVE.FrameEncryptor(baseSecret: Self.baseSecret)
        var decryptor = DAVE.FrameDecryptor(baseSecret: Self.baseSecret)
        var frame: [UInt8] = []
        var decrypted: [UInt8] = []
        try encryptor.encrypt(Self.opus, into: &frame)
        var forged = frame
        // Nonce 1 becomes 0x05000001 (generation 5), keeping the frame well-formed.
        forged.replaceSubrange((forged.count - 4)..<(forged.count - 2), with: [0x81, 0x80, 0x80, 0x28, 0x0F])
        #expect(throws: DAVEError.authenticationFailed) { try decryptor.decrypt(forged, into: &decrypted) }
        #expect(decryptor.generation == 0)
        try decryptor.decrypt(frame, into: &decrypted)
        #expect(decrypted == Self.opus)
    }

    @Test func malformedFramesAreNamed() throws {
        var decryptor = DAVE.FrameDecryptor(baseSecret: Self.baseSecret)
        var out: [UInt8] = []
        let body = [UInt8](repeating: 0x11, count: 20)
        #expect(throws: DAVEError.notAProtocolFrame) { try decryptor.decrypt(body, into: &out) }
        #expect(throws: DAVEError.notAProtocolFrame) { try decryptor.decrypt(body + [0x30, 0xFA, 0xFA], into: &out) }
        let tag = [UInt8](repeating: 0, count: 8)
        #expect(throws: DAVEError.malformedNonce) {
            try decryptor.decrypt(body + tag + [0x80, 0x0C, 0xFA, 0xFA], into: &out)
        }
        #expect(throws: DAVEError.malformedNonce) {
            try decryptor.decrypt(body + tag + [0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x10, 0xFA, 0xFA], into: &out)
        }
        #expect(throws: DAVEError.unexpectedUnencryptedRanges) {
            try decryptor.decrypt(body + tag + [0x01, 0x00, 0x02, 0x0E, 0xFA, 0xFA], into: &out)
        }
    }

    @Test func everyErrorExplainsItselfInOneSentence() {
        let errors: [DAVEError] = [
            .notAProtocolFrame, .malformedNonce, .unexpectedUnencryptedRanges, .authenticationFailed,
            .expiredGeneration(4), .nonceExhausted, .encryptionFailed,
            .invalidDisplayableCodeShape(length: 30, groupSize: 8), .displayableCodeInputTooShort(needed: 30, got: 2),
        ]
        for error in errors {
            #expect(error.description.hasSuffix("."))
            #expect(error.description.first?.isUppercase == true)
        }
        #expect(DAVEError.expiredGeneration(4).description.contains("generation 4"))
    }
}
