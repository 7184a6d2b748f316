/// A value with a TLS presentation-language encoding (RFC 9420 §2.1).
public protocol TLSCodable: Sendable {
    /// Appends the encoding of `self` to `writer`.
    func encode(to writer: inout TLSWriter)
    /// Reads one value from `reader`, throwing on malformed input.
    init(from reader: inout TLSReader) throws(MLSError)
}

extension TLSCodable {
    /// The TLS encoding of `self`.
    public var tlsBytes: [UInt8] {
        var writer = TLSWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// Decodes exactly one value from `bytes`, rejecting trailing data.
    public init(tlsBytes bytes: [UInt8]) throws(MLSError) {
        var reader = TLSReader(bytes)
        self = try Self(from: &reader)
        try reader.finish()
    }
}

/// Appends TLS-encoded values to a byte buffer.
public struct TLSWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init() {}

    /// Appends raw bytes with no length prefix.
    public mutating func raw<S: Sequence<UInt8>>(_ data: S) { bytes.append(contentsOf: data) }

    /// Appends a big-endian `uint8`.
    public mutating func u8(_ v: UInt8) { bytes.append(v) }

    /// Appends a big-endian `uint16`.
    public mutating func u16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xff)) }

    /// Appends a big-endian `uint32`.
    public mutating func u32(_ v: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((v >> UInt32(shift)) & 0xff)) }
    }

    /// Appends a big-endian `uint64`.
    public mutating func u64(_ v: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((v >> UInt64(shift)) & 0xff)) }
    }

    /// Appends an RFC 9420 §2.1.2 variable-length integer header.
    public mutating func varint(_ v: Int) {
        precondition(v >= 0 && v < 1 << 30, "MLS vector length exceeds 2^30")
        if v < 1 << 6 {
            u8(UInt8(v))
        } else if v < 1 << 14 {
            u16(UInt16(v) | 0x4000)
        } else {
            u32(UInt32(v) | 0x8000_0000)
        }
    }

    /// Appends `opaque data<V>`: a varint length then the bytes.
    public mutating func opaque(_ data: [UInt8]) {
        varint(data.count)
        bytes.append(contentsOf: data)
    }

    /// Appends a vector whose elements are written by `body`, prefixed by its byte length.
    public mutating func vector(_ body: (inout TLSWriter) -> Void) {
        var inner = TLSWriter()
        body(&inner)
        opaque(inner.bytes)
    }

    /// Appends a vector of codable values.
    public mutating func vector<T: TLSCodable>(_ items: [T]) {
        vector { w in for item in items { item.encode(to: &w) } }
    }

    /// Appends `optional<T>`: a presence byte then the value.
    public mutating func optional<T: TLSCodable>(_ item: T?) {
        if let item { u8(1); item.encode(to: &self) } else { u8(0) }
    }

    /// Appends a codable value.
    public mutating func write<T: TLSCodable>(_ item: T) { item.encode(to: &self) }
}

/// Reads TLS-encoded values from bytes; every read is bounds-checked and throws instead of trapping.
public struct TLSReader: Sendable {
    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    /// Creates a reader over `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
    }

    private init(bytes: [UInt8], offset: Int, end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    /// Whether every byte has been consumed.
    public var isAtEnd: Bool { offset == end }

    /// The current read position, for slicing out the exact encoding of a value.
    public var position: Int { offset }

    /// The bytes between `start` and the current position.
    public func bytesSince(_ start: Int) -> [UInt8] { Array(bytes[start..<offset]) }

    /// Throws unless every byte has been consumed.
    public func finish() throws(MLSError) {
        guard isAtEnd else { throw .trailingBytes }
    }

    /// Reads `count` raw bytes.
    public mutating func raw(_ count: Int) throws(MLSError) -> [UInt8] {
        guard count >= 0, end - offset >= count else { throw .truncated }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a `uint8`.
    public mutating func u8() throws(MLSError) -> UInt8 {
        guard offset < end else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a big-endian `uint16`.
    public mutating func u16() throws(MLSError) -> UInt16 {
        UInt16(try u8()) << 8 | UInt16(try u8())
    }

    /// Reads a big-endian `uint32`.
    public mutating func u32() throws(MLSError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 { v = v << 8 | UInt32(try u8()) }
        return v
    }

    /// Reads a big-endian `uint64`.
    public mutating func u64() throws(MLSError) -> UInt64 {
        var v: UInt64 = 0
        for _ in 0..<8 { v = v << 8 | UInt64(try u8()) }
        return v
    }

    /// Reads an RFC 9420 §2.1.2 variable-length integer, rejecting non-minimal encodings.
    public mutating func varint() throws(MLSError) -> Int {
        let first = try u8()
        let prefix = first >> 6
        var value = Int(first & 0x3f)
        switch prefix {
        case 0:
            return value
        case 1:
            value = value << 8 | Int(try u8())
            guard value >= 1 << 6 else { throw .nonMinimalLength }
            return value
        case 2:
            for _ in 0..<3 { value = value << 8 | Int(try u8()) }
            guard value >= 1 << 14 else { throw .nonMinimalLength }
            return value
        default:
            throw .nonMinimalLength
        }
    }

    /// Reads `opaque data<V>`.
    public mutating func opaque() throws(MLSError) -> [UInt8] {
        try raw(try varint())
    }

    /// Reads a length-prefixed vector and returns a reader confined to its contents.
    public mutating func subReader() throws(MLSError) -> TLSReader {
        let length = try varint()
        guard end - offset >= length else { throw .truncated }
        let sub = TLSReader(bytes: bytes, offset: offset, end: offset + length)
        offset += length
        return sub
    }

    /// Reads a vector of codable values; the elements must fill the vector exactly.
    public mutating func vector<T: TLSCodable>(of _: T.Type = T.self) throws(MLSError) -> [T] {
        var sub = try subReader()
        var items: [T] = []
        while !sub.isAtEnd { items.append(try T(from: &sub)) }
        return items
    }

    /// Reads `optional<T>`.
    public mutating func optional<T: TLSCodable>(of _: T.Type = T.self) throws(MLSError) -> T? {
        switch try u8() {
        case 0: return nil
        case 1: return try T(from: &self)
        default: throw .invalidValue("optional presence byte")
        }
    }

    /// Reads a codable value.
    public mutating func read<T: TLSCodable>(_: T.Type = T.self) throws(MLSError) -> T {
        try T(from: &self)
    }
}

/// An `opaque<V>` byte string as a codable value, for vectors of byte strings.
public struct OpaqueBytes: TLSCodable, Hashable {
    /// The bytes.
    public var bytes: [UInt8]

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func encode(to writer: inout TLSWriter) { writer.opaque(bytes) }

    public init(from reader: inout TLSReader) throws(MLSError) { bytes = try reader.opaque() }
}

extension UInt16: TLSCodable {
    public func encode(to writer: inout TLSWriter) { writer.u16(self) }
    public init(from reader: inout TLSReader) throws(MLSError) { self = try reader.u16() }
}

extension UInt32: TLSCodable {
    public func encode(to writer: inout TLSWriter) { writer.u32(self) }
    public init(from reader: inout TLSReader) throws(MLSError) { self = try reader.u32() }
}
