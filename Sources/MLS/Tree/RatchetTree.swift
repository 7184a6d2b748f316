/// The public ratchet tree of a group (RFC 9420 §7): leaves, parents and blanks in array order.
///
/// The tree is always full (a power-of-two number of leaves); trailing blank leaves are
/// dropped only on encoding.
public struct RatchetTree: TLSCodable, Hashable {
    /// Nodes by index; nil is a blank node.
    public private(set) var nodes: [Node?]

    /// The number of leaves, a power of two.
    public var leafCount: UInt32 { UInt32((nodes.count + 1) / 2) }

    /// Creates a one-member tree.
    public init(firstLeaf: LeafNode) { nodes = [.leaf(firstLeaf)] }

    /// Decodes the `ratchet_tree` extension payload, padding the tree to a power of two leaves.
    public init(from reader: inout TLSReader) throws(MLSError) {
        var sub = try reader.subReader()
        var list: [Node?] = []
        while !sub.isAtEnd { list.append(try sub.optional(of: Node.self)) }
        guard let last = list.last, last != nil else { throw .invalidTree("the encoded tree is empty or ends in a blank node") }
        guard list.count % 2 == 1 else { throw .invalidTree("the encoded tree ends in a parent node") }
        var leaves: UInt32 = 1
        while TreeMath.nodeWidth(leaves) < list.count { leaves *= 2 }
        list.append(contentsOf: Array(repeating: nil, count: Int(TreeMath.nodeWidth(leaves)) - list.count))
        for (index, node) in list.enumerated() {
            switch node {
            case .leaf where index % 2 == 1: throw .invalidTree("a leaf node sits at a parent position")
            case .parent where index % 2 == 0: throw .invalidTree("a parent node sits at a leaf position")
            default: continue
            }
        }
        nodes = list
    }

    public func encode(to writer: inout TLSWriter) {
        let end = (nodes.lastIndex { $0 != nil } ?? -1) + 1
        writer.vector { w in
            for node in nodes[0..<end] { w.optional(node) }
        }
    }

    /// The leaf node at a leaf index, or nil if blank or out of range.
    public func leaf(_ index: UInt32) -> LeafNode? {
        guard index < leafCount, case .leaf(let leaf) = nodes[Int(index) * 2] else { return nil }
        return leaf
    }

    /// The parent node at a node index, or nil if blank.
    func parent(_ node: UInt32) -> ParentNode? {
        guard case .parent(let p) = nodes[Int(node)] else { return nil }
        return p
    }

    /// Indices of non-blank leaves.
    public var occupiedLeaves: [UInt32] { (0..<leafCount).filter { leaf($0) != nil } }

    /// The node at an index; nil when blank or beyond the tree.
    subscript(node: UInt32) -> Node? {
        get { Int(node) < nodes.count ? nodes[Int(node)] : nil }
        set { nodes[Int(node)] = newValue }
    }

    /// The resolution of a node (RFC 9420 §4.1.1), as node indices.
    public func resolution(_ x: UInt32) -> [UInt32] {
        switch nodes[Int(x)] {
        case .leaf: return [x]
        case .parent(let p): return [x] + p.unmergedLeaves.map { $0 * 2 }
        case nil:
            guard let l = TreeMath.left(x), let r = TreeMath.right(x) else { return [] }
            return resolution(l) + resolution(r)
        }
    }

    /// The direct path of a leaf with nodes removed whose copath child has an empty resolution.
    public func filteredDirectPath(_ leaf: UInt32) -> [UInt32] {
        let n = leafCount
        let path = TreeMath.directPath(leaf * 2, leaves: n)
        let copath = TreeMath.copath(leaf * 2, leaves: n)
        return zip(path, copath).filter { !resolution($0.1).isEmpty }.map(\.0)
    }

    /// Places a new member in the leftmost blank leaf, growing the tree if needed (RFC 9420 §7.7).
    @discardableResult
    mutating func add(_ leafNode: LeafNode) -> UInt32 {
        let index = (0..<leafCount).first { nodes[Int($0) * 2] == nil } ?? {
            let old = leafCount
            nodes.append(contentsOf: Array(repeating: nil, count: nodes.count + 1))
            return old
        }()
        nodes[Int(index) * 2] = .leaf(leafNode)
        for p in TreeMath.directPath(index * 2, leaves: leafCount) {
            if case .parent(var parent) = nodes[Int(p)] {
                parent.unmergedLeaves.append(index)
                nodes[Int(p)] = .parent(parent)
            }
        }
        return index
    }

    /// Blanks a leaf and its direct path, then truncates trailing blank leaves (RFC 9420 §12.1.3).
    mutating func remove(_ index: UInt32) throws(MLSError) {
        guard leaf(index) != nil else { throw .invalidProposal("a Remove names a blank or missing leaf") }
        nodes[Int(index) * 2] = nil
        for p in TreeMath.directPath(index * 2, leaves: leafCount) { nodes[Int(p)] = nil }
        truncate()
    }

    /// Replaces a member's leaf and blanks its direct path (RFC 9420 §12.1.2).
    mutating func update(_ index: UInt32, with leafNode: LeafNode) {
        nodes[Int(index) * 2] = .leaf(leafNode)
        for p in TreeMath.directPath(index * 2, leaves: leafCount) { nodes[Int(p)] = nil }
    }

    /// Halves the tree while its right half is entirely blank.
    private mutating func truncate() {
        while leafCount > 1 {
            let half = nodes.count / 2
            guard nodes[(half + 1)...].allSatisfy({ $0 == nil }) else { return }
            nodes.removeLast(half + 1)
        }
    }

    /// Replaces the sender's leaf and direct path with an UpdatePath's keys; returns the filtered direct path.
    ///
    /// Throws unless the leaf's parent hash is the one the merged path implies.
    mutating func merge(path: UpdatePath, sender: UInt32) throws(MLSError) -> [UInt32] {
        let filtered = filteredDirectPath(sender)
        guard filtered.count == path.nodes.count else { throw .invalidProposal("the UpdatePath length does not match the filtered direct path") }
        for p in TreeMath.directPath(sender * 2, leaves: leafCount) { nodes[Int(p)] = nil }
        for (node, update) in zip(filtered, path.nodes) {
            nodes[Int(node)] = .parent(ParentNode(encryptionKey: update.encryptionKey, parentHash: [], unmergedLeaves: []))
        }
        let expected = setParentHashes(along: filtered, from: sender)
        guard path.leafNode.parentHash == expected else { throw .invalidTree("the committer's leaf has the wrong parent hash") }
        nodes[Int(sender) * 2] = .leaf(path.leafNode)
        return filtered
    }

    /// Fills in parent hashes along a freshly set filtered direct path; returns the leaf's expected parent hash.
    @discardableResult
    mutating func setParentHashes(along filtered: [UInt32], from sender: UInt32) -> [UInt8] {
        var above: [UInt8] = []
        for (i, node) in filtered.enumerated().reversed() {
            guard case .parent(var p) = nodes[Int(node)] else { continue }
            p.parentHash = above
            nodes[Int(node)] = .parent(p)
            let child = i == 0 ? sender * 2 : filtered[i - 1]
            above = parentHash(of: node, towards: child)
        }
        return above
    }

    /// The parent hash of parent `p` as seen from the child on the side of `descendant`.
    func parentHash(of p: UInt32, towards descendant: UInt32) -> [UInt8] {
        guard case .parent(let parent) = nodes[Int(p)], let l = TreeMath.left(p), let r = TreeMath.right(p) else { return [] }
        let sibling = TreeMath.isInSubtree(descendant, of: l) ? r : l
        var w = TLSWriter()
        w.opaque(parent.encryptionKey)
        w.opaque(parent.parentHash)
        w.opaque(treeHash(sibling, excluding: Set(parent.unmergedLeaves)))
        return CipherSuite.hash(w.bytes)
    }

    /// The tree hash of the whole tree.
    public var rootHash: [UInt8] { treeHash(TreeMath.root(leafCount), excluding: []) }

    /// The tree hash of the subtree at `x` (RFC 9420 §7.8), treating `excluded` leaves as blank.
    public func treeHash(_ x: UInt32, excluding excluded: Set<UInt32>) -> [UInt8] {
        var w = TLSWriter()
        if x % 2 == 0 {
            w.u8(1)
            w.u32(x / 2)
            w.optional(excluded.contains(x / 2) ? nil : leaf(x / 2))
        } else {
            w.u8(2)
            var parent = self.parent(x)
            parent?.unmergedLeaves.removeAll { excluded.contains($0) }
            w.optional(parent)
            w.opaque(treeHash(TreeMath.left(x)!, excluding: excluded))
            w.opaque(treeHash(TreeMath.right(x)!, excluding: excluded))
        }
        return CipherSuite.hash(w.bytes)
    }

    private func storedParentHash(_ x: UInt32) -> [UInt8]? {
        switch nodes[Int(x)] {
        case .leaf(let leaf): return leaf.parentHash
        case .parent(let p): return p.parentHash
        case nil: return nil
        }
    }

    /// Checks that every non-blank parent is parent-hash valid with exactly one descendant (RFC 9420 §7.9.2).
    func verifyParentHashes() throws(MLSError) {
        for x in stride(from: UInt32(1), to: UInt32(nodes.count), by: 2) {
            guard case .parent(let p) = nodes[Int(x)], let l = TreeMath.left(x), let r = TreeMath.right(x) else { continue }
            var matches = 0
            for child in [l, r] {
                let hash = parentHash(of: x, towards: child)
                let unmergedBelow = Set(p.unmergedLeaves.map { $0 * 2 }.filter { TreeMath.isInSubtree($0, of: child) })
                let resolution = resolution(child)
                for d in resolution where storedParentHash(d) == hash {
                    if Set(resolution.filter { $0 != d }) == unmergedBelow { matches += 1 }
                }
            }
            guard matches == 1 else { throw .invalidTree("parent node \(x) is not parent-hash valid") }
        }
    }

    /// Checks the parent nodes of a received tree (RFC 9420 §12.4.3.1): unmerged leaves and unique keys.
    func verifyParentNodes() throws(MLSError) {
        var keyCounts: [[UInt8]: Int] = [:]
        for node in nodes { if let key = node?.encryptionKey { keyCounts[key, default: 0] += 1 } }
        for x in stride(from: UInt32(1), to: UInt32(nodes.count), by: 2) {
            guard case .parent(let p) = nodes[Int(x)] else { continue }
            guard keyCounts[p.encryptionKey] == 1 else { throw .invalidTree("parent node \(x) shares its encryption key with another node") }
            for leafIndex in p.unmergedLeaves {
                guard leafIndex < leafCount, TreeMath.isInSubtree(leafIndex * 2, of: x), leaf(leafIndex) != nil else {
                    throw .invalidTree("parent node \(x) lists an unmerged leaf that is not below it")
                }
                for ancestor in TreeMath.directPath(leafIndex * 2, leaves: leafCount) {
                    if ancestor == x { break }
                    if case .parent(let between) = nodes[Int(ancestor)], !between.unmergedLeaves.contains(leafIndex) {
                        throw .invalidTree("an unmerged leaf is missing from an intermediate node")
                    }
                }
            }
        }
    }
}
