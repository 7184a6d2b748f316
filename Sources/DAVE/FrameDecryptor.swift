import Crypto
import _CryptoExtras
import Foundation

extension DAVE {
    /// Decrypts one sender's DAVE protocol frames (without unencrypted ranges) under one key ratchet.
    ///
    /// The truncated 8-byte tag is verified by recovering the plaintext with AES-CTR from the
    /// GCM counter block 2 and recomputing the full GCM tag over it; the ratchet only moves
    /// forward once a frame of the new generation has authenticated. A generation byte behind
    /// the ratchet is read as the next wrap, so frames from erased generations fail authentication.
    public struct FrameDecryptor: Sendable {
        private var ratchet: HashRatchet
        private var key: SymmetricKey

        /// The ratchet generation of the newest frame that authenticated (0 before any).
        public var generation: UInt32 { ratchet.generation }

        /// Starts a fresh ratchet at generation 0 from a sender's base secret.
        public init(baseSecret: SymmetricKey) {
            self.ratchet = HashRatchet(baseSecret: baseSecret)
            self.key = ratchet.currentKey
        }

        /// Writes the Opus frame inside `frame` into `output`, replacing its contents.
        ///
        /// The Opus silence frame `F8 FF FE` is passed through unchanged.
        public mutating func decrypt(_ frame: [UInt8], into output: inout [UInt8]) throws(DAVEError) {
            output.removeAll(keepingCapacity: true)
            if frame == FrameFormat.silence {
                output.append(contentsOf: frame)
                return
            }
            let footer = try Footer(parsing: frame)
            var candidate = ratchet
            let generation = Self.generation(forNonce: footer.nonce, after: ratchet.generation)
            let candidateKey = try generation == ratchet.generation ? key : candidate.key(for: generation)
            let ciphertext = frame[..<footer.start]
            let plaintext: Data
            let expectedTag: Data
            do {
                (plaintext, expectedTag) = try FrameFormat.withFullNonce(footer.nonce) { fullNonce in
                    let counterBlock = Array(fullNonce) + [0, 0, 0, 2]
                    let plaintext = try AES._CTR.decrypt(
                        ciphertext, using: candidateKey, nonce: AES._CTR.Nonce(nonceBytes: counterBlock))
                    let resealed = try AES.GCM.seal(
                        plaintext, using: candidateKey, nonce: AES.GCM.Nonce(data: fullNonce))
                    return (plaintext, resealed.tag)
                }
            } catch {
                throw .authenticationFailed
            }
            var difference: UInt8 = 0
            for (expected, received) in zip(expectedTag.prefix(FrameFormat.tagLength), frame[footer.start...]) {
                difference |= expected ^ received
            }
            guard difference == 0 else { throw .authenticationFailed }
            if generation != ratchet.generation {
                ratchet = candidate
                key = candidateKey
            }
            output.append(contentsOf: plaintext)
        }

        /// The full generation for a nonce: the first at or after `current` whose low byte is `nonce >> 24`.
        static func generation(forNonce nonce: UInt32, after current: UInt32) -> UInt32 {
            let low = nonce >> 24
            let sameWrap = (current & ~0xFF) | low
            return sameWrap >= current ? sameWrap : sameWrap &+ 0x100
        }
    }

    /// The parsed footer of a protocol frame without unencrypted ranges.
    private struct Footer {
        /// Index of the first footer byte (the truncated tag), the end of the ciphertext.
        let start: Int
        /// The 32-bit truncated synchronization nonce.
        let nonce: UInt32

        init(parsing frame: [UInt8]) throws(DAVEError) {
            let count = frame.count
            guard count > FrameFormat.minimumFooterLength,
                frame[count - 1] == FrameFormat.marker, frame[count - 2] == FrameFormat.marker
            else { throw .notAProtocolFrame }
            let size = Int(frame[count - 3])
            guard size >= FrameFormat.minimumFooterLength, size < count else { throw .notAProtocolFrame }
            start = count - size
            let nonceEnd = count - 3
            var index = start + FrameFormat.tagLength
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < nonceEnd, shift < 35 else { throw .malformedNonce }
                let byte = frame[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            guard value <= UInt64(UInt32.max) else { throw .malformedNonce }
            guard index == nonceEnd else { throw .unexpectedUnencryptedRanges }
            nonce = UInt32(value)
        }
    }
}
