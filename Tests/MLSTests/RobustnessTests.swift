import Crypto
import Testing
@testable import MLS

@Suite struct RobustnessTests {
    /// Every single-byte XOR and every truncation of `bytes`.
    private func mutations(of bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for i in bytes.indices {
            for delta: UInt8 in [0x01, 0x80, 0xff] {
                var copy = bytes
                copy[i] ^= delta
                out.append(copy)
            }
            out.append(Array(bytes[..<i]))
        }
        return out
    }

    @Test func mutatedMessagesAreRejectedOrProcessedCorrectlyNeverCrash() throws {
        var harness = try GroupHarness()
        for id in 1...2 {
            let bundle = try KeyPackageBundle(credential: GroupHarness.credential(id), signatureKey: P256.Signing.PrivateKey())
            try harness.broadcast(.add(bundle.keyPackage))
            try harness.commit(by: 0, joiners: [id: bundle])
        }
        let joiner = try KeyPackageBundle(credential: GroupHarness.credential(3), signatureKey: P256.Signing.PrivateKey())
        let proposal = try harness.gateway.propose(.add(joiner.keyPackage), groupID: harness.groupID, epoch: harness.members[0]!.epoch).tlsBytes
        let before = harness.members[1]!
        try harness.broadcast(.add(joiner.keyPackage))
        let receiver = harness.members[1]!
        let output = try harness.members[0]!.createCommit()
        let commit = output.message.tlsBytes
        let welcome = try #require(output.welcome).tlsBytes
        let keyPackage = MLSMessage.keyPackage(joiner.keyPackage).tlsBytes

        var expected = receiver
        _ = try expected.processCommit(try MLSMessage(tlsBytes: commit))
        let joined = try Group(welcome: try Welcome(tlsBytes: welcome), keyPackage: joiner)

        var rejected = 0
        var accepted = 0
        func attempt(_ body: () throws(MLSError) -> Bool) {
            do {
                if try body() { accepted += 1 } else { Issue.record("a mutated message was accepted with a different result") }
            } catch {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        for bytes in mutations(of: proposal) {
            attempt { () throws(MLSError) in
                var group = before
                let ref = try group.cacheProposal(try MLSMessage(tlsBytes: bytes))
                return ref == receiver.cachedProposals.last?.reference
            }
        }
        for bytes in mutations(of: commit) {
            attempt { () throws(MLSError) in
                var group = receiver
                _ = try group.processCommit(try MLSMessage(tlsBytes: bytes))
                return group.epochAuthenticator == expected.epochAuthenticator
            }
        }
        for bytes in mutations(of: welcome) {
            attempt { () throws(MLSError) in
                let group = try Group(welcome: try Welcome(tlsBytes: bytes), keyPackage: joiner)
                return group.epochAuthenticator == joined.epochAuthenticator
            }
        }
        for bytes in mutations(of: keyPackage) {
            attempt { () throws(MLSError) in
                guard case .keyPackage(let package) = try MLSMessage(tlsBytes: bytes) else { throw .invalidValue("wire format") }
                try package.validate()
                return package == joiner.keyPackage
            }
        }
        print("[robustness] \(rejected + accepted) mutated messages: \(rejected) rejected, \(accepted) processed correctly")
        #expect(rejected + accepted >= 10_000)
        #expect(rejected > 0)
    }
}

@Suite struct TreeRobustnessTests {
    @Test func mutatedRatchetTreesAreRejectedOrValidNeverCrash() throws {
        var tally = 0
        var rejected = 0
        // The two smallest suite-2 trees keep the run short; each mutation re-verifies every leaf signature.
        for entry in try Vectors.load("tree-validation.json").filter({ $0["cipher_suite"] as? Int == 2 }).prefix(2) {
            let bytes = entry.hex("tree")
            let groupID = entry.hex("group_id")
            for i in bytes.indices {
                for delta: UInt8 in [0x01, 0xff] {
                    var copy = bytes
                    copy[i] ^= delta
                    tally += 1
                    do {
                        let tree = try RatchetTree(tlsBytes: copy)
                        let context = GroupContext(groupID: groupID, epoch: 0, treeHash: tree.rootHash, confirmedTranscriptHash: [], extensions: [])
                        try LeafValidation.validateTree(tree, context: context)
                        #expect(tree.tlsBytes == copy)
                    } catch {
                        rejected += 1
                    }
                }
            }
        }
        print("[robustness] \(tally) mutated ratchet trees: \(rejected) rejected, \(tally - rejected) still valid")
        #expect(tally > 0)
        #expect(rejected > 0)
    }
}
