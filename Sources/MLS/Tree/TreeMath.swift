/// Array-indexed left-balanced binary tree arithmetic (RFC 9420 Appendix C).
///
/// Node indices are `UInt32`; leaves sit at even indices and leaf `i` is node `2i`.
/// Trees are full: the leaf count is always a power of two.
public enum TreeMath {
    /// The level of a node: 0 for leaves, the number of trailing one bits otherwise.
    public static func level(_ x: UInt32) -> Int { (~x).trailingZeroBitCount }

    /// The number of nodes in a tree with `leaves` leaves.
    public static func nodeWidth(_ leaves: UInt32) -> UInt32 { leaves == 0 ? 0 : 2 * (leaves - 1) + 1 }

    /// The root node of a tree with `leaves` leaves.
    public static func root(_ leaves: UInt32) -> UInt32 {
        let width = nodeWidth(leaves)
        return (1 << UInt32(31 - width.leadingZeroBitCount)) - 1
    }

    /// The left child of an intermediate node, or nil for a leaf.
    public static func left(_ x: UInt32) -> UInt32? {
        let k = level(x)
        return k == 0 ? nil : x ^ (1 << UInt32(k - 1))
    }

    /// The right child of an intermediate node, or nil for a leaf.
    public static func right(_ x: UInt32) -> UInt32? {
        let k = level(x)
        return k == 0 ? nil : x ^ (3 << UInt32(k - 1))
    }

    /// The parent of a node, or nil for the root.
    public static func parent(_ x: UInt32, leaves: UInt32) -> UInt32? {
        guard x != root(leaves) else { return nil }
        let k = UInt32(level(x))
        let b = (x >> (k + 1)) & 1
        return (x | (1 << k)) ^ (b << (k + 1))
    }

    /// The other child of a node's parent, or nil for the root.
    public static func sibling(_ x: UInt32, leaves: UInt32) -> UInt32? {
        guard let p = parent(x, leaves: leaves), let l = left(p), let r = right(p) else { return nil }
        return x < p ? r : l
    }

    /// The parents of a node from its own parent up to and including the root.
    public static func directPath(_ x: UInt32, leaves: UInt32) -> [UInt32] {
        var path: [UInt32] = []
        var node = x
        while let p = parent(node, leaves: leaves) {
            path.append(p)
            node = p
        }
        return path
    }

    /// The siblings of the node and of each of its ancestors below the root.
    public static func copath(_ x: UInt32, leaves: UInt32) -> [UInt32] {
        var path: [UInt32] = []
        var node = x
        while let s = sibling(node, leaves: leaves) {
            path.append(s)
            node = parent(node, leaves: leaves)!
        }
        return path
    }

    /// Whether `descendant` is in the subtree rooted at `ancestor`.
    public static func isInSubtree(_ descendant: UInt32, of ancestor: UInt32) -> Bool {
        let k = UInt32(level(ancestor))
        return descendant >> (k + 1) == ancestor >> (k + 1)
    }
}
