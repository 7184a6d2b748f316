import Foundation
import Testing
@testable import ScreamCore

/// The shortcuts in the per-sample path give the values the plain formulas give.
@Suite struct IncrementalStepTests {
    @Test(arguments: [10.0, 6, 20, 8, 3, 12.5, 7.3, 0.1, 1e-3, 48000, 96001.7, -4, -12.5, 0])
    func steppedHashChangesOnExactlyTheSamplesWhereTheTruncatedStepChanges(rate: Double) {
        var hash = SteppedHash(rate: rate, seed: 4242, coprime: 137)
        var previous = Int64.min
        for i in 0..<200_000 {
            let t = Double(i) / 48000
            let step = Int64(t * rate)
            let changed = hash.advance(to: t)
            #expect(changed == (step != previous), "rate \(rate), sample \(i)")
            #expect(hash.step == step && hash.value == ScreamHash.seeded(seed: 4242, step: step, coprime: 137))
            if changed != (step != previous) { return }
            previous = step
        }
    }

    @Test func firstTimeOfAStepIsTheSmallestDoubleThatReachesIt() {
        for rate in [10.0, 7.3, 1 / 3.0, 44100, -6.1] {
            for step: Int64 in [0, 1, 5, 99, -1, -7] where (rate > 0) == (step >= 0) {
                let t = SteppedHash.firstTime(after: step, rate: rate)
                #expect(Int64(t * rate) != step && Int64(t.nextDown * rate) == step, "rate \(rate), step \(step)")
            }
        }
    }

    @Test(arguments: [8.0, 4, 12, 1.5, 1, 0.5, 0.05])
    func compressorGainStaysWithinABillionthOfExpLog(ratio: Double) {
        var compressor = Compressor(thresholdDB: -20, ratio: ratio, attackMs: 5, releaseMs: 50, sampleRate: 48000)
        var worst = 0.0
        var envelope = 0.05
        for i in 0..<100_000 {
            envelope *= i % 3000 < 1500 ? 1.002 : 0.998
            let exact = envelope > compressor.threshold ? exp((1 / ratio - 1) * log(envelope / compressor.threshold)) : 1
            worst = max(worst, abs(compressor.gain(for: envelope) / exact - 1))
        }
        #expect(worst < 1e-9, "worst relative error \(worst)")
    }
}
