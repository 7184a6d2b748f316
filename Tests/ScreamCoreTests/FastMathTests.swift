import Foundation
import Testing
@testable import ScreamCore

@Suite struct FastMathTests {
    @Test func sinCyclesMatchesLibmAcrossAndBeyondOneCycle() {
        var worst = 0.0
        for i in -20_000...220_000 {
            let p = Double(i) / 100_000 + 1e-7
            worst = max(worst, abs(FastMath.sinCycles(p) - sin(2 * Double.pi * p)))
        }
        #expect(worst < 1e-13)
    }

    @Test func floorIsExactForBothSigns() {
        #expect([-2.5, -2, -0.1, 0, 0.1, 2, 2.5].map(FastMath.floor) == [-3, -2, -1, 0, 0, 2, 2])
    }
}
