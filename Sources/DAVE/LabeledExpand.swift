import Crypto

/// MLS 1.0 `ExpandWithLabel` (RFC 9420 §8) over HKDF-SHA256, the KDF of cipher suite 2.
enum LabeledExpand {
    /// `HKDF-Expand(secret, KDFLabel{length, "MLS 1.0 " + label, context}, length)`.
    static func expand(
        _ secret: SymmetricKey, label: String, context: [UInt8], length: Int
    ) -> SymmetricKey {
        var info: [UInt8] = []
        let fullLabel = Array("MLS 1.0 \(label)".utf8)
        info.reserveCapacity(2 + 2 + fullLabel.count + 2 + context.count)
        info.append(UInt8(truncatingIfNeeded: length >> 8))
        info.append(UInt8(truncatingIfNeeded: length))
        appendVariableLength(fullLabel.count, to: &info)
        info.append(contentsOf: fullLabel)
        appendVariableLength(context.count, to: &info)
        info.append(contentsOf: context)
        return HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: length)
    }

    /// RFC 9420 `DeriveTreeSecret`: `ExpandWithLabel` with the generation as a big-endian u32 context.
    static func expand(
        _ secret: SymmetricKey, label: String, generation: UInt32, length: Int
    ) -> SymmetricKey {
        let context = withUnsafeBytes(of: generation.bigEndian) { Array($0) }
        return expand(secret, label: label, context: context, length: length)
    }

    /// Appends an MLS variable-size vector length header (RFC 9420 §2.1.2) for lengths below 2^14.
    private static func appendVariableLength(_ length: Int, to bytes: inout [UInt8]) {
        precondition(length < 1 << 14, "MLS labels and contexts here are short")
        if length < 1 << 6 {
            bytes.append(UInt8(length))
        } else {
            bytes.append(0x40 | UInt8(length >> 8))
            bytes.append(UInt8(truncatingIfNeeded: length))
        }
    }
}
