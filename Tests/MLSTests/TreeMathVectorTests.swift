import Testing
@testable import MLS

@Suite struct TreeMathVectorTests {
    @Test func treeArithmeticMatchesTreeMathVectors() throws {
        var tally = Tally("tree-math.json")
        for entry in try Vectors.load("tree-math.json") {
            let leaves = UInt32(entry.int("n_leaves"))
            #expect(TreeMath.nodeWidth(leaves) == UInt32(entry.int("n_nodes")))
            #expect(TreeMath.root(leaves) == UInt32(entry.int("root")))
            func column(_ key: String) -> [UInt32?] { (entry[key] as! [Any]).map { ($0 as? Int).map(UInt32.init) } }
            let (left, right, parent, sibling) = (column("left"), column("right"), column("parent"), column("sibling"))
            for x in 0..<TreeMath.nodeWidth(leaves) {
                let i = Int(x)
                #expect(TreeMath.left(x) == left[i])
                #expect(TreeMath.right(x) == right[i])
                #expect(TreeMath.parent(x, leaves: leaves) == parent[i])
                #expect(TreeMath.sibling(x, leaves: leaves) == sibling[i])
            }
            tally.pass()
        }
        tally.report()
        #expect(tally.passed == 10)
    }
}
