import Testing
@testable import MLS

@Suite struct KeyScheduleVectorTests {
    @Test func epochSecretsMatchKeyScheduleVectors() throws {
        var tally = Tally("key-schedule.json")
        for entry in try Vectors.suite2("key-schedule.json", tally: &tally) {
            let groupID = entry.hex("group_id")
            var initSecret = entry.hex("initial_init_secret")
            for (n, epoch) in (entry["epochs"] as! [[String: Any]]).enumerated() {
                let context = GroupContext(groupID: groupID, epoch: UInt64(n), treeHash: epoch.hex("tree_hash"),
                                           confirmedTranscriptHash: epoch.hex("confirmed_transcript_hash"), extensions: [])
                #expect(context.tlsBytes == epoch.hex("group_context"))
                let s = EpochSecrets(initSecret: initSecret, commitSecret: epoch.hex("commit_secret"), pskSecret: epoch.hex("psk_secret"), context: context)
                #expect(s.joinerSecret == epoch.hex("joiner_secret"))
                #expect(s.welcomeSecret == epoch.hex("welcome_secret"))
                #expect(s.initSecret == epoch.hex("init_secret"))
                #expect(s.senderDataSecret == epoch.hex("sender_data_secret"))
                #expect(s.encryptionSecret == epoch.hex("encryption_secret"))
                #expect(s.exporterSecret == epoch.hex("exporter_secret"))
                #expect(s.epochAuthenticator == epoch.hex("epoch_authenticator"))
                #expect(s.externalSecret == epoch.hex("external_secret"))
                #expect(s.confirmationKey == epoch.hex("confirmation_key"))
                #expect(s.membershipKey == epoch.hex("membership_key"))
                #expect(s.resumptionPSK == epoch.hex("resumption_psk"))
                #expect(try s.externalPublicKey() == epoch.hex("external_pub"))
                let exporter = epoch.dict("exporter")
                // The vector's label is its hex text taken as a string label, as the interop runners use it.
                let label = Array((exporter["label"] as! String).utf8)
                #expect(s.export(label: label, context: exporter.hex("context"), length: exporter.int("length")) == exporter.hex("secret"))
                initSecret = s.initSecret
            }
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 1)
    }

    @Test func transcriptHashesMatchTranscriptHashVectors() throws {
        var tally = Tally("transcript-hashes.json")
        for entry in try Vectors.suite2("transcript-hashes.json", tally: &tally) {
            let content = try AuthenticatedContent(tlsBytes: entry.hex("authenticated_content"))
            let tag = try #require(content.auth.confirmationTag)
            let confirmed = TranscriptHash.confirmed(interim: entry.hex("interim_transcript_hash_before"), content: content)
            #expect(confirmed == entry.hex("confirmed_transcript_hash_after"))
            #expect(CipherSuite.mac(key: entry.hex("confirmation_key"), data: confirmed) == tag)
            #expect(TranscriptHash.interim(confirmed: confirmed, confirmationTag: tag) == entry.hex("interim_transcript_hash_after"))
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 1)
    }

    @Test func ratchetsMatchSecretTreeVectors() throws {
        var tally = Tally("secret-tree.json")
        for entry in try Vectors.suite2("secret-tree.json", tally: &tally) {
            let senderData = entry.dict("sender_data")
            let (key, nonce) = SecretTree.senderDataKeyAndNonce(senderDataSecret: senderData.hex("sender_data_secret"), ciphertext: senderData.hex("ciphertext"))
            #expect(key == senderData.hex("key"))
            #expect(nonce == senderData.hex("nonce"))
            let leaves = entry["leaves"] as! [[[String: Any]]]
            for (leaf, generations) in leaves.enumerated() {
                let leafSecret = SecretTree.leafSecret(encryptionSecret: entry.hex("encryption_secret"), leaf: UInt32(leaf), leafCount: UInt32(leaves.count))
                var handshake = HashRatchet(leafSecret: leafSecret, label: "handshake")
                var application = HashRatchet(leafSecret: leafSecret, label: "application")
                for g in generations {
                    while handshake.generation < UInt32(g.int("generation")) {
                        handshake.advance()
                        application.advance()
                    }
                    #expect(handshake.keyAndNonce.key == g.hex("handshake_key"))
                    #expect(handshake.keyAndNonce.nonce == g.hex("handshake_nonce"))
                    #expect(application.keyAndNonce.key == g.hex("application_key"))
                    #expect(application.keyAndNonce.nonce == g.hex("application_nonce"))
                }
            }
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 3)
    }
}

@Suite struct PSKVectorTests {
    @Test func externalPSKsCombineAsPSKSecretVectorsSay() throws {
        var tally = Tally("psk_secret.json")
        for entry in try Vectors.suite2("psk_secret.json", tally: &tally) {
            let psks = (entry["psks"] as! [[String: Any]]).map { psk in
                (id: PreSharedKeyID(kind: .external(id: psk.hex("psk_id")), nonce: psk.hex("psk_nonce")), secret: psk.hex("psk"))
            }
            #expect(PSKSecret.combine(psks) == entry.hex("psk_secret"))
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 11)
    }
}
