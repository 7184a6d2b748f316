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

    @Test func logAndExpMatchLibmWithinAFewUlps() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<100_000 {
            let x = 1 + 50 * random.nextUnit()
            #expect(abs(FastMath.log(x) - log(x)) <= 4 * log(x).ulp)
            let y = -30 * random.nextUnit()
            #expect(abs(FastMath.exp(y) - exp(y)) <= 4 * exp(y).ulp)
        }
        #expect(FastMath.exp(-800) == 0 && FastMath.log(1) == 0 && FastMath.exp(0) == 1)
    }

    @Test func floorIsExactForBothSigns() {
        #expect([-2.5, -2, -0.1, 0, 0.1, 2, 2.5].map(FastMath.floor) == [-3, -2, -1, 0, 0, 2, 2])
    }
}
