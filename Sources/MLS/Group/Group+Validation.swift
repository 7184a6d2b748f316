/// `RequiredCapabilities` (RFC 9420 §11.1).
struct RequiredCapabilities: TLSCodable {
    var extensions: [UInt16]
    var proposals: [UInt16]
    var credentials: [UInt16]

    func encode(to writer: inout TLSWriter) {
        writer.vector(extensions)
        writer.vector(proposals)
        writer.vector(credentials)
    }

    init(from reader: inout TLSReader) throws(MLSError) {
        extensions = try reader.vector()
        proposals = try reader.vector()
        credentials = try reader.vector()
    }
}

/// Leaf node validation (RFC 9420 §7.3) against a tree and group context extensions.
enum LeafValidation {
    /// Extension types every client implements (RFC 9420 §13.4), which capabilities need not list.
    static func isDefaultExtension(_ type: UInt16) -> Bool { (1...5).contains(type) }

    /// Checks a leaf that will sit at `index` in `tree` of a group with `extensions`.
    ///
    /// `replacing` names a leaf whose keys the new leaf may share (the same member's old leaf).
    static func validate(_ leaf: LeafNode, index: UInt32, tree: RatchetTree, groupID: [UInt8],
                         extensions: [Extension], replacing: UInt32?) throws(MLSError) {
        guard case .basic = leaf.credential else { throw .unsupported("X.509 credentials") }
        try leaf.verifySignature(groupID: groupID, leafIndex: index)
        try supports(leaf, extensions: extensions)
        let caps = leaf.capabilities
        guard leaf.extensions.allSatisfy({ isDefaultExtension($0.type) || caps.extensions.contains($0.type) }) else {
            throw .invalidValue("leaf node extension missing from its capabilities")
        }
        for other in tree.occupiedLeaves where other != index {
            guard let member = tree.leaf(other) else { continue }
            guard member.capabilities.credentials.contains(leaf.credential.type),
                  caps.credentials.contains(member.credential.type)
            else { throw .invalidValue("credential type not supported by every member") }
            guard member.encryptionKey != leaf.encryptionKey else { throw .invalidValue("duplicate encryption key") }
            guard other == replacing || member.signatureKey != leaf.signatureKey else { throw .invalidValue("duplicate signature key") }
        }
    }

    /// Checks that a leaf supports a group's context extensions and required capabilities.
    static func supports(_ leaf: LeafNode, extensions: [Extension]) throws(MLSError) {
        let caps = leaf.capabilities
        if let data = extensions.payload(Extension.requiredCapabilities) {
            let required = try RequiredCapabilities(tlsBytes: data)
            guard required.extensions.allSatisfy({ isDefaultExtension($0) || caps.extensions.contains($0) }),
                  required.proposals.allSatisfy({ (1...7).contains($0) || caps.proposals.contains($0) }),
                  required.credentials.allSatisfy(caps.credentials.contains)
            else { throw .invalidValue("leaf node that lacks the group's required capabilities") }
        }
        guard extensions.allSatisfy({ isDefaultExtension($0.type) || caps.extensions.contains($0.type) }) else {
            throw .invalidValue("leaf node that does not support the group's extensions")
        }
    }

    /// Checks every leaf, the parent hashes and the unmerged leaves of a received tree (RFC 9420 §12.4.3.1).
    static func validateTree(_ tree: RatchetTree, context: GroupContext) throws(MLSError) {
        guard tree.rootHash == context.treeHash else { throw .invalidTree("its tree hash does not match the group context") }
        try tree.verifyParentNodes()
        try tree.verifyParentHashes()
        for index in tree.occupiedLeaves {
            try validate(tree.leaf(index)!, index: index, tree: tree, groupID: context.groupID, extensions: context.extensions, replacing: nil)
        }
    }
}
