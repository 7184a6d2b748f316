import Crypto
import Foundation
import Testing
@testable import DAVE

/// Frames checked by Discord's libdave (PyPI `dave.py`) in a group whose secrets the harness made.
///
/// `Tests/Interop/libdave_judge.py` welcomes a libdave session into a DAVE group it created,
/// hands us the sender's exported base secret and libdave's own frames, and reports what
/// libdave decrypts from ours.
@Suite struct LibdaveInteropTests {
    static let python = Vectors.packageRoot.appendingPathComponent(".venv/bin/python")
    static let venvReady = FileManager.default.isExecutableFile(atPath: python.path)

    struct Offer: Decodable {
        let sender_user_id: String
        let base_secret: String
        let plaintexts: [String]
        let libdave_frames: [String]
    }

    struct Verdict: Decodable {
        let decrypted: [String?]
    }

    @Test(.enabled(if: venvReady, "needs the interop venv at .venv with dave.py (make test creates it)"))
    func libdaveDecryptsOurFramesAndProducesTheSameBytes() throws {
        let judge = try InteropScript("libdave_judge.py")
        let offer = try JSONDecoder().decode(Offer.self, from: try judge.readLine())
        let baseSecret = SymmetricKey(data: [UInt8](hex: offer.base_secret))
        let plaintexts = offer.plaintexts.map { [UInt8](hex: $0) }

        var encryptor = DAVE.FrameEncryptor(baseSecret: baseSecret)
        var frames: [[UInt8]] = []
        var frame: [UInt8] = []
        for packet in plaintexts {
            try encryptor.encrypt(packet, into: &frame)
            frames.append(frame)
        }
        #expect(frames.map(\.hex) == offer.libdave_frames)

        var decryptor = DAVE.FrameDecryptor(baseSecret: baseSecret)
        var decrypted: [UInt8] = []
        for (libdaveFrame, packet) in zip(offer.libdave_frames, plaintexts) {
            try decryptor.decrypt([UInt8](hex: libdaveFrame), into: &decrypted)
            #expect(decrypted == packet)
        }

        var expected = plaintexts
        try encryptor.encrypt(FrameFormat.silence, into: &frame)
        frames.append(frame)
        expected.append(FrameFormat.silence)
        // libdave refuses generations its ratchet is too young to have reached (frames per
        // second × age >> 24), so the newest frame it can judge here is the last of generation 0,
        // whose nonce 2^24 - 1 takes four ULEB128 bytes. Later generations are checked against
        // the MLS secret-tree vectors and the independent reference in FrameCryptoTests.
        var lastOfGenerationZero = DAVE.FrameEncryptor(
            ratchet: DAVE.HashRatchet(baseSecret: baseSecret), framesEncrypted: (1 << 24) - 2)
        try lastOfGenerationZero.encrypt(plaintexts[0], into: &frame)
        frames.append(frame)
        expected.append(plaintexts[0])

        let request = try JSONSerialization.data(withJSONObject: ["frames": frames.map(\.hex)])
        try judge.write(request + [0x0A])
        let verdict = try JSONDecoder().decode(Verdict.self, from: try judge.readLine())
        #expect(verdict.decrypted == expected.map(\.hex))
        #expect(verdict.decrypted.count == 12)
    }
}
