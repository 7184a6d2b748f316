import Testing
@testable import MLS

@Suite struct PassiveClientVectorTests {
    /// Joins from the vector's Welcome and follows every epoch, checking each epoch authenticator.
    ///
    /// Returns nil when the case passes, or the unsupported feature it needs.
    private func run(_ entry: [String: Any]) throws -> String? {
        do {
            guard case .keyPackage(let keyPackage) = try MLSMessage(tlsBytes: entry.hex("key_package")),
                  case .welcome(let welcome) = try MLSMessage(tlsBytes: entry.hex("welcome"))
            else {
                Issue.record("passive client vector does not hold a key package and a welcome")
                return nil
            }
            let bundle = try KeyPackageBundle(keyPackage: keyPackage,
                                              initKey: try CipherSuite.hpkePrivateKey(entry.hex("init_priv")),
                                              encryptionKey: try CipherSuite.hpkePrivateKey(entry.hex("encryption_priv")),
                                              signatureKey: try CipherSuite.signaturePrivateKey(entry.hex("signature_priv")))
            let tree = try (entry["ratchet_tree"] as? String).map { try RatchetTree(tlsBytes: [UInt8](hex: $0)!) }
            var psks: [[UInt8]: [UInt8]] = [:]
            for psk in entry["external_psks"] as! [[String: Any]] { psks[psk.hex("psk_id")] = psk.hex("psk") }
            var group = try Group(welcome: welcome, keyPackage: bundle, ratchetTree: tree, externalPSKs: psks)
            #expect(group.epochAuthenticator == entry.hex("initial_epoch_authenticator"))
            for epoch in entry["epochs"] as! [[String: Any]] {
                for proposal in epoch["proposals"] as! [String] {
                    try group.cacheProposal(try MLSMessage(tlsBytes: [UInt8](hex: proposal)!))
                }
                let effect = try group.processCommit(try MLSMessage(tlsBytes: epoch.hex("commit")))
                #expect(effect != .removedSelf)
                #expect(group.epochAuthenticator == epoch.hex("epoch_authenticator"))
            }
            return nil
        } catch MLSError.unsupported(let feature) {
            return feature
        }
    }

    private func runFile(_ name: String) throws -> Tally {
        var tally = Tally(name)
        for (index, entry) in try Vectors.suite2Indexed(name, tally: &tally) {
            if let feature = try run(entry) { tally.skip("needs \(feature)", entry: index) } else { tally.pass() }
        }
        tally.report()
        return tally
    }

    @Test func joinsEveryWelcomeOfPassiveClientWelcomeVectors() throws {
        let tally = try runFile("passive-client-welcome.json")
        #expect(tally.passed > 0)
    }

    @Test func followsEveryCommitOfPassiveClientHandlingCommitVectors() throws {
        let tally = try runFile("passive-client-handling-commit.json")
        #expect(tally.passed > 0)
    }
}
