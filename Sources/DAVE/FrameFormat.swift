/// Byte layout of a DAVE protocol frame's footer, shared by the encryptor and decryptor.
///
/// `ciphertext || tag[8] || ULEB128(nonce) || unencrypted ranges || size || 0xFA 0xFA`,
/// where `size` counts every footer byte after the ciphertext, itself and the marker included.
enum FrameFormat {
    /// Length of the truncated AES-128-GCM tag.
    static let tagLength = 8
    /// The two magic marker bytes ending every protocol frame.
    static let marker: UInt8 = 0xFA
    /// Tag + a one-byte nonce + size byte + marker: the shortest possible footer.
    static let minimumFooterLength = tagLength + 1 + 1 + 2
    /// The Opus silence frame that is always sent and accepted unencrypted.
    static let silence: [UInt8] = [0xF8, 0xFF, 0xFE]

    /// Appends `value` as unsigned LEB128.
    static func appendULEB128(_ value: UInt32, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(0x80 | UInt8(truncatingIfNeeded: value))
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The 12-byte AES-GCM nonce for a truncated nonce: 8 zero bytes, then the nonce little-endian.
    static func withFullNonce<R>(
        _ truncatedNonce: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        var full: (UInt64, UInt32) = (0, truncatedNonce.littleEndian)
        return try withUnsafeBytes(of: &full) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<12])) }
    }
}
