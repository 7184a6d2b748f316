import CSodium
import Crypto

/// The rtpsize AEAD modes of the voice UDP transport.
public enum TransportEncryptionMode: String, Sendable, CaseIterable {
    case aes256GCM = "aead_aes256_gcm_rtpsize"
    case xchacha20Poly1305 = "aead_xchacha20_poly1305_rtpsize"

    /// The preferred supported mode among those the server offers: AES-256-GCM, else XChaCha20-Poly1305.
    public static func preferred(from offered: [String]) -> TransportEncryptionMode? {
        allCases.first { offered.contains($0.rawValue) }
    }

    /// Nonce length of the AEAD.
    public var nonceSize: Int {
        switch self {
        case .aes256GCM: 12
        case .xchacha20Poly1305: 24
        }
    }
}

/// Seals RTP payloads: header as additional data, nonce = 32-bit counter (BE) then zeros, counter appended.
public struct TransportEncryptor: Sendable {
    /// Bytes of AEAD tag after the ciphertext.
    public static let tagSize = 16
    /// Bytes of the clear nonce counter at the end of a packet.
    public static let counterSize = 4

    /// The AEAD in use.
    public let mode: TransportEncryptionMode
    /// The counter the next packet will use.
    public private(set) var counter: UInt32
    private let key: [UInt8]
    private let aesKey: SymmetricKey
    /// libsodium's AES-256-GCM with the key expanded once, where the CPU has AES-NI: it seals
    /// into the packet without allocating, which swift-crypto's sealed box does not.
    private let expandedAES: ExpandedAESKey?
    private var nonce: [UInt8]

    /// An encryptor for a 32-byte session key; the counter starts at `counter`.
    public init(mode: TransportEncryptionMode, secretKey: [UInt8], counter: UInt32 = 0) throws(DiscordVoiceError) {
        guard secretKey.count == 32 else {
            throw .protocolViolation("a secret_key of \(secretKey.count) bytes instead of 32")
        }
        self.mode = mode
        self.key = secretKey
        self.aesKey = SymmetricKey(data: secretKey)
        self.expandedAES = mode == .aes256GCM ? ExpandedAESKey(secretKey) : nil
        self.counter = counter
        self.nonce = [UInt8](repeating: 0, count: mode.nonceSize)
    }

    /// The nonce for a counter value: counter big-endian, zero-padded to the mode's nonce size.
    public static func nonce(counter: UInt32, mode: TransportEncryptionMode) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: mode.nonceSize)
        write(counter: counter, into: &nonce, at: 0)
        return nonce
    }

    private static func write(counter: UInt32, into bytes: inout [UInt8], at offset: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: counter >> 24)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: counter >> 16)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: counter >> 8)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: counter)
    }

    /// Writes header ‖ ciphertext ‖ tag ‖ counter (BE) into `packet`, then advances the counter.
    public mutating func seal(header: RTP.Header, payload: [UInt8], into packet: inout [UInt8]) throws(DiscordVoiceError) {
        let total = RTP.Header.size + payload.count + Self.tagSize + Self.counterSize
        if packet.count < total {
            packet.append(contentsOf: repeatElement(0, count: total - packet.count))
        } else if packet.count > total {
            packet.removeLast(packet.count - total)
        }
        header.write(into: &packet)
        Self.write(counter: counter, into: &nonce, at: 0)
        switch mode {
        case .aes256GCM:
            try sealAES(payload: payload, nonce: nonce, packet: &packet)
        case .xchacha20Poly1305:
            try sealXChaCha(payload: payload, nonce: nonce, packet: &packet)
        }
        Self.write(counter: counter, into: &packet, at: total - Self.counterSize)
        counter &+= 1
    }

    private func sealAES(payload: [UInt8], nonce: [UInt8], packet: inout [UInt8]) throws(DiscordVoiceError) {
        if let expandedAES {
            var written: UInt64 = 0
            let status = packet.withUnsafeMutableBufferPointer { out in
                crypto_aead_aes256gcm_encrypt_afternm(
                    out.baseAddress! + RTP.Header.size, &written,
                    payload, UInt64(payload.count),
                    out.baseAddress!, UInt64(RTP.Header.size),
                    nil, nonce, expandedAES.state)
            }
            guard status == 0, Int(written) == payload.count + Self.tagSize else {
                throw .protocolViolation("AES-256-GCM refused to seal a packet")
            }
            return
        }
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(
                payload, using: aesKey, nonce: AES.GCM.Nonce(data: nonce),
                authenticating: packet[0..<RTP.Header.size])
        } catch {
            throw .protocolViolation("AES-256-GCM refused to seal a packet: \(error)")
        }
        var offset = RTP.Header.size
        for byte in box.ciphertext {
            packet[offset] = byte
            offset += 1
        }
        for byte in box.tag {
            packet[offset] = byte
            offset += 1
        }
    }

    private func sealXChaCha(payload: [UInt8], nonce: [UInt8], packet: inout [UInt8]) throws(DiscordVoiceError) {
        var written: UInt64 = 0
        let status = packet.withUnsafeMutableBufferPointer { out in
            crypto_aead_xchacha20poly1305_ietf_encrypt(
                out.baseAddress! + RTP.Header.size, &written,
                payload, UInt64(payload.count),
                out.baseAddress!, UInt64(RTP.Header.size),
                nil, nonce, key)
        }
        guard status == 0, Int(written) == payload.count + Self.tagSize else {
            throw .protocolViolation("XChaCha20-Poly1305 refused to seal a packet")
        }
    }
}

/// An AES-256 key expanded for libsodium's AES-GCM, in 16-byte aligned memory that is wiped and
/// freed with the last copy of the encryptor; nil where the CPU lacks AES-NI.
private final class ExpandedAESKey: @unchecked Sendable {
    // Written once in init, only read afterwards (libsodium takes it as const).
    let state: UnsafeMutablePointer<crypto_aead_aes256gcm_state>
    private static let sodiumReady: Bool = sodium_init() >= 0

    init?(_ key: [UInt8]) {
        guard Self.sodiumReady, crypto_aead_aes256gcm_is_available() == 1 else { return nil }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: crypto_aead_aes256gcm_statebytes(), alignment: 16)
        state = raw.bindMemory(to: crypto_aead_aes256gcm_state.self, capacity: 1)
        crypto_aead_aes256gcm_beforenm(state, key)
    }

    deinit {
        sodium_memzero(state, crypto_aead_aes256gcm_statebytes())
        UnsafeMutableRawPointer(state).deallocate()
    }
}
