import Testing
@testable import MLS

@Suite struct CodecVectorTests {
    @Test func variableLengthHeadersMatchDeserializationVectors() throws {
        var tally = Tally("deserialization.json")
        for entry in try Vectors.load("deserialization.json") {
            let header = entry.hex("vlbytes_header")
            let length = entry.int("length")
            var reader = TLSReader(header)
            #expect(try reader.varint() == length)
            #expect(reader.isAtEnd)
            var writer = TLSWriter()
            writer.varint(length)
            #expect(writer.bytes == header)
            tally.pass()
        }
        tally.report()
        #expect(tally.passed > 0)
    }

    @Test func nonMinimalLengthEncodingsAreRejected() {
        for bytes: [UInt8] in [[0x40, 0x01], [0x80, 0x00, 0x00, 0x3f], [0x80, 0x00, 0x3f, 0xff], [0xc0, 0, 0, 0, 0, 0, 0, 1]] {
            var reader = TLSReader(bytes)
            #expect(throws: MLSError.nonMinimalLength) { try reader.varint() }
        }
    }

    @Test func truncatedVectorsThrowInsteadOfTrapping() {
        var reader = TLSReader([0x05, 0x01, 0x02])
        #expect(throws: MLSError.truncated) { try reader.opaque() }
        var empty = TLSReader([])
        #expect(throws: MLSError.truncated) { try empty.u32() }
    }

    @Test func trailingBytesAreRejected() {
        #expect(throws: MLSError.trailingBytes) { try OpaqueBytes(tlsBytes: [0x01, 0xaa, 0xbb]) }
    }
}
