import Testing
@testable import MLS

@Suite struct MessageVectorTests {
    /// Decodes `bytes` as `T` and re-encodes it.
    private func roundTrip<T: TLSCodable>(_: T.Type, _ bytes: [UInt8]) throws -> [UInt8] {
        try T(tlsBytes: bytes).tlsBytes
    }

    /// Decodes a bare proposal body by prefixing its type code, then re-encodes the body.
    private func roundTripProposal(type: UInt16, _ bytes: [UInt8]) throws -> [UInt8] {
        Array(try Proposal(tlsBytes: [UInt8(type >> 8), UInt8(type & 0xff)] + bytes).tlsBytes.dropFirst(2))
    }

    @Test func everyMessageTypeReencodesByteIdentically() throws {
        var tally = Tally("messages.json")
        for entry in try Vectors.load("messages.json") {
            for key in ["mls_welcome", "mls_group_info", "mls_key_package", "public_message_application",
                        "public_message_proposal", "public_message_commit", "private_message"] {
                #expect(try roundTrip(MLSMessage.self, entry.hex(key)) == entry.hex(key), "\(key)")
            }
            #expect(try roundTrip(RatchetTree.self, entry.hex("ratchet_tree")) == entry.hex("ratchet_tree"))
            #expect(try roundTrip(GroupSecrets.self, entry.hex("group_secrets")) == entry.hex("group_secrets"))
            #expect(try roundTrip(Commit.self, entry.hex("commit")) == entry.hex("commit"))
            let proposals: [(String, UInt16)] = [("add_proposal", 1), ("update_proposal", 2), ("remove_proposal", 3),
                                                 ("pre_shared_key_proposal", 4), ("re_init_proposal", 5),
                                                 ("external_init_proposal", 6), ("group_context_extensions_proposal", 7)]
            for (key, type) in proposals {
                #expect(try roundTripProposal(type: type, entry.hex(key)) == entry.hex(key), "\(key)")
            }
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 300)
    }
}
