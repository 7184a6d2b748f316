import Crypto
import Testing
@testable import MLS

@Suite struct TreeVectorTests {
    @Test func treeHashesResolutionsAndParentHashesMatchTreeValidationVectors() throws {
        var tally = Tally("tree-validation.json")
        for entry in try Vectors.suite2("tree-validation.json", tally: &tally) {
            let tree = try RatchetTree(tlsBytes: entry.hex("tree"))
            let hashes = (entry["tree_hashes"] as! [String]).map { [UInt8](hex: $0)! }
            let resolutions = entry["resolutions"] as! [[Int]]
            #expect(hashes.count == tree.nodes.count)
            for x in 0..<UInt32(tree.nodes.count) {
                #expect(tree.treeHash(x, excluding: []) == hashes[Int(x)])
                #expect(tree.resolution(x) == resolutions[Int(x)].map(UInt32.init))
            }
            let context = GroupContext(groupID: entry.hex("group_id"), epoch: 0, treeHash: tree.rootHash, confirmedTranscriptHash: [], extensions: [])
            try LeafValidation.validateTree(tree, context: context)
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 14)
    }

    @Test func proposalsChangeTheTreeAsTreeOperationsVectorsSay() throws {
        var tally = Tally("tree-operations.json")
        // Every entry is cipher suite 1; tree operations and tree hashes use only SHA-256, shared with suite 2.
        for entry in try Vectors.load("tree-operations.json") {
            var tree = try RatchetTree(tlsBytes: entry.hex("tree_before"))
            #expect(tree.rootHash == entry.hex("tree_hash_before"))
            switch try Proposal(tlsBytes: entry.hex("proposal")) {
            case .add(let keyPackage): tree.add(keyPackage.leafNode)
            case .remove(let leaf): try tree.remove(leaf)
            case .update(let leaf): tree.update(UInt32(entry.int("proposal_sender")), with: leaf)
            default:
                tally.skip("proposal type is not a tree operation")
                continue
            }
            #expect(tree.tlsBytes == entry.hex("tree_after"))
            #expect(tree.rootHash == entry.hex("tree_hash_after"))
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 5)
    }

    private func privateKeys(_ leaf: [String: Any]) throws -> TreeKEM.PrivateKeys {
        var keys: TreeKEM.PrivateKeys = [UInt32(leaf.int("index")) * 2: try CipherSuite.hpkePrivateKey(leaf.hex("encryption_priv"))]
        for secret in leaf["path_secrets"] as! [[String: Any]] {
            keys[UInt32(secret.int("node"))] = try TreeKEM.nodeKey(pathSecret: secret.hex("path_secret"))
        }
        return keys
    }

    @Test func updatePathsMatchTreeKEMVectors() throws {
        var tally = Tally("treekem.json")
        for entry in try Vectors.suite2("treekem.json", tally: &tally) {
            let tree = try RatchetTree(tlsBytes: entry.hex("ratchet_tree"))
            let groupID = entry.hex("group_id")
            let context = { (hash: [UInt8]) in
                GroupContext(groupID: groupID, epoch: UInt64(entry.int("epoch")), treeHash: hash,
                             confirmedTranscriptHash: entry.hex("confirmed_transcript_hash"), extensions: [])
            }
            let leaves = entry["leaves_private"] as! [[String: Any]]
            for update in entry["update_paths"] as! [[String: Any]] {
                let sender = UInt32(update.int("sender"))
                let path = try UpdatePath(tlsBytes: update.hex("update_path"))
                try path.leafNode.verifySignature(groupID: groupID, leafIndex: sender)
                let expectedSecrets = update["path_secrets"] as! [Any]
                for leaf in leaves where UInt32(leaf.int("index")) != sender {
                    var copy = tree
                    let receiver = UInt32(leaf.int("index"))
                    let applied = try TreeKEM.applyPath(tree: &copy, path: path, sender: sender, receiver: receiver,
                                                        privateKeys: try privateKeys(leaf), newMembers: [], context: context)
                    #expect(copy.rootHash == update.hex("tree_hash_after"))
                    #expect(applied.commitSecret == update.hex("commit_secret"))
                    #expect(applied.pathSecret == [UInt8](hex: expectedSecrets[Int(receiver)] as? String ?? ""))
                }

                let senderLeaf = try #require(leaves.first { UInt32($0.int("index")) == sender })
                var fresh = tree
                let created = try TreeKEM.createPath(tree: &fresh, sender: sender, leaf: tree.leaf(sender)!,
                                                     signer: try CipherSuite.signaturePrivateKey(senderLeaf.hex("signature_priv")),
                                                     groupID: groupID, newMembers: [], context: context)
                for leaf in leaves where UInt32(leaf.int("index")) != sender {
                    var copy = tree
                    let applied = try TreeKEM.applyPath(tree: &copy, path: created.path, sender: sender, receiver: UInt32(leaf.int("index")),
                                                        privateKeys: try privateKeys(leaf), newMembers: [], context: context)
                    #expect(applied.commitSecret == created.commitSecret)
                    #expect(copy.rootHash == fresh.rootHash)
                }
            }
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 11)
    }
}

@Suite struct TreeValidationTests {
    /// The first suite-2 tree-validation tree with at least two parent nodes.
    private func treeWithTwoParents() throws -> (RatchetTree, [UInt8], [UInt32]) {
        for entry in try Vectors.load("tree-validation.json") where entry["cipher_suite"] as? Int == 2 {
            let tree = try RatchetTree(tlsBytes: entry.hex("tree"))
            let parents = stride(from: UInt32(1), to: UInt32(tree.nodes.count), by: 2).filter { tree.parent($0) != nil }
            if parents.count >= 2 { return (tree, entry.hex("group_id"), parents) }
        }
        throw VectorError.malformed("tree-validation.json has no tree with two parent nodes")
    }

    @Test func parentNodesSharingAnEncryptionKeyAreRejected() throws {
        var (tree, groupID, parents) = try treeWithTwoParents()
        var second = try #require(tree.parent(parents[1]))
        second.encryptionKey = try #require(tree.parent(parents[0])).encryptionKey
        tree[parents[1]] = .parent(second)
        let context = GroupContext(groupID: groupID, epoch: 0, treeHash: tree.rootHash, confirmedTranscriptHash: [], extensions: [])
        #expect(throws: MLSError.invalidTree("parent node \(parents[0]) shares its encryption key with another node")) {
            try LeafValidation.validateTree(tree, context: context)
        }
    }

    @Test func aTreeWhoseHashDiffersFromTheGroupContextIsRejected() throws {
        let (tree, groupID, _) = try treeWithTwoParents()
        let context = GroupContext(groupID: groupID, epoch: 0, treeHash: Array(tree.rootHash.reversed()), confirmedTranscriptHash: [], extensions: [])
        #expect(throws: MLSError.invalidTree("its tree hash does not match the group context")) {
            try LeafValidation.validateTree(tree, context: context)
        }
    }

    @Test func aParentWithAForgedParentHashIsRejected() throws {
        var (tree, groupID, parents) = try treeWithTwoParents()
        var parent = try #require(tree.parent(parents[0]))
        parent.parentHash = [UInt8](repeating: 7, count: 32)
        tree[parents[0]] = .parent(parent)
        let context = GroupContext(groupID: groupID, epoch: 0, treeHash: tree.rootHash, confirmedTranscriptHash: [], extensions: [])
        #expect(throws: MLSError.self) { try LeafValidation.validateTree(tree, context: context) }
    }
}
