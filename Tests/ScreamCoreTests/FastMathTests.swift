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

    @Test func eachVectorLaneIsTheOneLaneSineBitForBit() {
        for i in 0..<10_000 {
            let phases = SIMD4(Double(i) / 10_000, Double(i) / 7_777 - 0.5, Double(i) * 1e-3, 0.25 + Double(i) * 1e-9)
            let lanes = FastMath.sinCycles(phases)
            for lane in 0..<4 {
                #expect(lanes[lane] == FastMath.sinCycles(phases[lane]), "phase \(phases[lane])")
            }
        }
    }

    @Test func floorIsExactForBothSigns() {
        #expect([-2.5, -2, -0.1, 0, 0.1, 2, 2.5].map(FastMath.floor) == [-3, -2, -1, 0, 0, 2, 2])
    }
}
