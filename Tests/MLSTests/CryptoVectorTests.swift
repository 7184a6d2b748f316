import Testing
@testable import MLS

@Suite struct CryptoVectorTests {
    @Test func cipherSuite2MatchesCryptoBasicsVectors() throws {
        var tally = Tally("crypto-basics.json")
        for entry in try Vectors.suite2("crypto-basics.json", tally: &tally) {
            let ref = entry.dict("ref_hash")
            #expect(CipherSuite.refHash(label: ref["label"] as! String, value: ref.hex("value")) == ref.hex("out"))

            let ewl = entry.dict("expand_with_label")
            #expect(CipherSuite.expandWithLabel(secret: ewl.hex("secret"), label: ewl["label"] as! String,
                                                context: ewl.hex("context"), length: ewl.int("length")) == ewl.hex("out"))

            let ds = entry.dict("derive_secret")
            #expect(CipherSuite.deriveSecret(secret: ds.hex("secret"), label: ds["label"] as! String) == ds.hex("out"))

            let dts = entry.dict("derive_tree_secret")
            #expect(CipherSuite.deriveTreeSecret(secret: dts.hex("secret"), label: dts["label"] as! String,
                                                 generation: UInt32(dts.int("generation")), length: dts.int("length")) == dts.hex("out"))

            let swl = entry.dict("sign_with_label")
            let label = swl["label"] as! String
            try CipherSuite.verifyWithLabel(publicKey: swl.hex("pub"), label: label, content: swl.hex("content"), signature: swl.hex("signature"))
            let key = try CipherSuite.signaturePrivateKey(swl.hex("priv"))
            #expect(Array(key.publicKey.x963Representation) == swl.hex("pub"))
            let fresh = try CipherSuite.signWithLabel(key: key, label: label, content: swl.hex("content"))
            try CipherSuite.verifyWithLabel(publicKey: swl.hex("pub"), label: label, content: swl.hex("content"), signature: fresh)
            #expect(throws: MLSError.badSignature) {
                try CipherSuite.verifyWithLabel(publicKey: swl.hex("pub"), label: label + "x", content: swl.hex("content"), signature: fresh)
            }

            let enc = entry.dict("encrypt_with_label")
            let priv = try CipherSuite.hpkePrivateKey(enc.hex("priv"))
            #expect(Array(priv.publicKey.x963Representation) == enc.hex("pub"))
            let encLabel = enc["label"] as! String
            let ct = HPKECiphertext(kemOutput: enc.hex("kem_output"), ciphertext: enc.hex("ciphertext"))
            #expect(try CipherSuite.decryptWithLabel(privateKey: priv, label: encLabel, context: enc.hex("context"), ciphertext: ct) == enc.hex("plaintext"))
            let sealed = try CipherSuite.encryptWithLabel(publicKey: enc.hex("pub"), label: encLabel, context: enc.hex("context"), plaintext: enc.hex("plaintext"))
            #expect(try CipherSuite.decryptWithLabel(privateKey: priv, label: encLabel, context: enc.hex("context"), ciphertext: sealed) == enc.hex("plaintext"))
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 1)
    }
}
