import CSodium
import Crypto

/// Opens Discord's rtpsize AEAD voice packets with the session key.
struct TransportCipher: Sendable {
    /// The two modes Discord still accepts.
    enum Mode: String, Sendable {
        case aes256GCM = "aead_aes256_gcm_rtpsize"
        case xChaCha20Poly1305 = "aead_xchacha20_poly1305_rtpsize"
    }

    /// A packet that opened.
    struct Opened: Sendable, Equatable {
        var firstByte: UInt8
        var payloadType: UInt8
        var sequence: UInt16
        var timestamp: UInt32
        var ssrc: UInt32
        var nonce: UInt32
        var payload: [UInt8]
    }

    /// Why a packet did not open.
    enum Failure: Error, Equatable, CustomStringConvertible {
        case tooShort(Int)
        case notRTPVersion2(UInt8)
        case authenticationFailed
        case badPadding

        var description: String {
            switch self {
            case .tooShort(let length): "A \(length)-byte datagram is too short for an RTP header, tag and nonce."
            case .notRTPVersion2(let byte): "The first byte 0x\(String(byte, radix: 16)) is not RTP version 2."
            case .authenticationFailed: "The packet did not authenticate with the session key."
            case .badPadding: "The RTP padding count is larger than the payload."
            }
        }
    }

    private static let tagLength = 16
    private static let nonceSuffixLength = 4
    private static let sodiumReady: Bool = sodium_init() >= 0

    let mode: Mode
    let key: [UInt8]

    /// Reads the RTP header, then authenticates and decrypts the payload.
    ///
    /// The unencrypted header is 12 bytes plus 4 per CSRC plus, with the X bit, the 4-byte
    /// extension preamble; the extension body is encrypted and stripped from the payload.
    func open(_ packet: [UInt8]) throws(Failure) -> Opened {
        guard packet.count >= 12 else { throw .tooShort(packet.count) }
        guard packet[0] >> 6 == 2 else { throw .notRTPVersion2(packet[0]) }
        let csrcCount = Int(packet[0] & 0x0F)
        let hasExtension = packet[0] & 0x10 != 0
        let headerLength = 12 + 4 * csrcCount + (hasExtension ? 4 : 0)
        guard packet.count >= headerLength + Self.tagLength + Self.nonceSuffixLength else {
            throw .tooShort(packet.count)
        }
        let extensionLength = hasExtension ? 4 * Int(be16(packet, headerLength - 2)) : 0
        let header = Array(packet[0..<headerLength])
        let nonceStart = packet.count - Self.nonceSuffixLength
        let sealed = Array(packet[headerLength..<nonceStart])
        let counter = Array(packet[nonceStart...])
        var plaintext = try decrypt(sealed, header: header, counter: counter)
        if packet[0] & 0x20 != 0 {
            guard let padding = plaintext.last, Int(padding) <= plaintext.count else { throw .badPadding }
            plaintext.removeLast(Int(padding))
        }
        guard extensionLength <= plaintext.count else { throw .authenticationFailed }
        return Opened(
            firstByte: packet[0], payloadType: packet[1], sequence: be16(packet, 2),
            timestamp: be32(packet, 4), ssrc: be32(packet, 8), nonce: be32(counter, 0),
            payload: Array(plaintext[extensionLength...]))
    }

    private func decrypt(_ sealed: [UInt8], header: [UInt8], counter: [UInt8]) throws(Failure) -> [UInt8] {
        switch mode {
        case .aes256GCM:
            do {
                let box = try AES.GCM.SealedBox(
                    nonce: AES.GCM.Nonce(data: counter + [UInt8](repeating: 0, count: 8)),
                    ciphertext: sealed.dropLast(Self.tagLength), tag: sealed.suffix(Self.tagLength))
                return Array(try AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: header))
            } catch {
                throw .authenticationFailed
            }
        case .xChaCha20Poly1305:
            guard Self.sodiumReady else { throw .authenticationFailed }
            let nonce = counter + [UInt8](repeating: 0, count: 20)
            var plaintext = [UInt8](repeating: 0, count: sealed.count - Self.tagLength)
            var plaintextLength: UInt64 = 0
            let status = crypto_aead_xchacha20poly1305_ietf_decrypt(
                &plaintext, &plaintextLength, nil, sealed, UInt64(sealed.count), header, UInt64(header.count),
                nonce, key)
            guard status == 0 else { throw .authenticationFailed }
            return Array(plaintext.prefix(Int(plaintextLength)))
        }
    }
}

func be16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
}

func be32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
}
