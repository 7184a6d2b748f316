import Crypto
import Foundation

extension DAVE {
    /// Encrypts one sender's Opus frames into DAVE protocol frames for one key ratchet.
    ///
    /// The 32-bit truncated nonce starts at 0 and is incremented before each frame, so the
    /// first frame carries nonce 1; the ratchet generation is the frame counter shifted right
    /// by 24 and keeps counting up when the truncated nonce wraps. Opus frames carry no
    /// unencrypted ranges and no additional authenticated data. Silence frames pass through.
    public struct FrameEncryptor: Sendable {
        private var ratchet: HashRatchet
        private var key: SymmetricKey
        private var framesEncrypted: UInt64

        /// Starts a fresh ratchet (nonce 0, generation 0) from a sender's base secret.
        public init(baseSecret: SymmetricKey) {
            self.init(ratchet: HashRatchet(baseSecret: baseSecret), framesEncrypted: 0)
        }

        /// Resumes a sender that already encrypted `framesEncrypted` frames under `ratchet`.
        init(ratchet: HashRatchet, framesEncrypted: UInt64) {
            self.ratchet = ratchet
            self.key = ratchet.currentKey
            self.framesEncrypted = framesEncrypted
        }

        /// Writes the protocol frame for `opusFrame` into `output`, replacing its contents.
        ///
        /// `output` keeps its capacity between calls, so a reused buffer is not reallocated.
        public mutating func encrypt(_ opusFrame: [UInt8], into output: inout [UInt8]) throws(DAVEError) {
            output.removeAll(keepingCapacity: true)
            if opusFrame == FrameFormat.silence {
                output.append(contentsOf: opusFrame)
                return
            }
            guard framesEncrypted < UInt64.max else { throw .nonceExhausted }
            framesEncrypted += 1
            let nonce = UInt32(truncatingIfNeeded: framesEncrypted)
            let generation = UInt32(truncatingIfNeeded: framesEncrypted >> 24)
            if generation != ratchet.generation {
                key = try ratchet.key(for: generation)
            }
            let sealed: AES.GCM.SealedBox
            do {
                sealed = try FrameFormat.withFullNonce(nonce) { fullNonce in
                    try AES.GCM.seal(opusFrame, using: key, nonce: AES.GCM.Nonce(data: fullNonce))
                }
            } catch {
                throw .encryptionFailed
            }
            output.append(contentsOf: sealed.ciphertext)
            output.append(contentsOf: sealed.tag.prefix(FrameFormat.tagLength))
            let footerStart = output.count - FrameFormat.tagLength
            FrameFormat.appendULEB128(nonce, to: &output)
            output.append(UInt8(output.count - footerStart + 3))
            output.append(FrameFormat.marker)
            output.append(FrameFormat.marker)
        }
    }
}
