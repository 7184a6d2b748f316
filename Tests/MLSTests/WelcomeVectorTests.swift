import Testing
@testable import MLS

@Suite struct WelcomeVectorTests {
    @Test func welcomeDecryptsAndVerifiesAsWelcomeVectorsSay() throws {
        var tally = Tally("welcome.json")
        for entry in try Vectors.suite2("welcome.json", tally: &tally) {
            guard case .keyPackage(let keyPackage) = try MLSMessage(tlsBytes: entry.hex("key_package")),
                  case .welcome(let welcome) = try MLSMessage(tlsBytes: entry.hex("welcome"))
            else {
                Issue.record("welcome vector does not hold a key package and a welcome")
                continue
            }
            try keyPackage.validate()
            let (secrets, info, _) = try Group.open(welcome, keyPackageReference: keyPackage.reference,
                                                    initKey: try CipherSuite.hpkePrivateKey(entry.hex("init_priv")), externalPSKs: [:])
            try info.verify(signatureKey: entry.hex("signer_pub"))
            let epoch = EpochSecrets(joinerSecret: secrets.joinerSecret, context: info.groupContext)
            #expect(epoch.confirmationTag(for: info.groupContext.confirmedTranscriptHash) == info.confirmationTag)
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 1)
    }
}
