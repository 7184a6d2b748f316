extension DAVE {
    /// The displayable code of `data` (whitepaper "Displayable Codes"): `length` decimal digits in
    /// groups of `groupSize`, each group the next `groupSize` bytes read big-endian modulo 10^groupSize.
    ///
    /// The voice privacy code is the epoch authenticator with `length` 30 and `groupSize` 5.
    public static func displayableCode(
        for data: [UInt8], length: Int = 30, groupSize: Int = 5
    ) throws(DAVEError) -> String {
        guard groupSize > 0, groupSize < 8, length > 0, length % groupSize == 0 else {
            throw .invalidDisplayableCodeShape(length: length, groupSize: groupSize)
        }
        guard data.count >= length else {
            throw .displayableCodeInputTooShort(needed: length, got: data.count)
        }
        var modulus: UInt64 = 1
        for _ in 0..<groupSize { modulus *= 10 }
        var code = ""
        code.reserveCapacity(length)
        for start in stride(from: 0, to: length, by: groupSize) {
            let value = data[start..<(start + groupSize)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let digits = String(value % modulus)
            code += String(repeating: "0", count: groupSize - digits.count) + digits
        }
        return code
    }
}
