import Testing

@testable import DiscordVoice

/// The gateway send limit over injected instants: no socket, no real waiting.
@Suite struct GatewaySendLimiterTests {
    let start = ContinuousClock.now

    @Test func ordinarySendsStopAt110PerMinuteAndWaitForTheOldestToAgeOut() {
        var limiter = GatewaySendLimiter()
        let taken = (0..<110).map { limiter.take(at: start + .milliseconds(100 * $0), heartbeat: false) }
        #expect(taken.allSatisfy { $0 })
        let now = start + .seconds(20)
        let blocked = limiter.take(at: now, heartbeat: false)
        #expect(!blocked)
        #expect(limiter.delay(at: now, heartbeat: false) == .seconds(40))
        let afterOldestAgedOut = limiter.take(at: start + .seconds(60), heartbeat: false)
        let oneMore = limiter.take(at: start + .seconds(60), heartbeat: false)
        #expect(afterOldestAgedOut && !oneMore)
        #expect(limiter.delay(at: start + .seconds(60), heartbeat: false) == .milliseconds(100))
    }

    @Test func heartbeatsAreNeverHeldBackAndKeepTheTotalWithin120() {
        var limiter = GatewaySendLimiter()
        for index in 0..<110 { _ = limiter.take(at: start + .milliseconds(index), heartbeat: false) }
        let now = start + .seconds(1)
        let ordinary = limiter.take(at: now, heartbeat: false)
        let heartbeats = (0..<10).map { _ in limiter.take(at: now, heartbeat: true) }
        #expect(!ordinary)
        #expect(heartbeats.allSatisfy { $0 })
        #expect(limiter.delay(at: now, heartbeat: true) == .zero)
        #expect(limiter.count(at: now) == 120)
    }

    @Test func heartbeatsCountAgainstTheOrdinaryBudget() {
        var limiter = GatewaySendLimiter()
        for index in 0..<5 { _ = limiter.take(at: start + .milliseconds(index), heartbeat: true) }
        var ordinary = 0
        while limiter.take(at: start + .seconds(1), heartbeat: false) { ordinary += 1 }
        #expect(ordinary == 105)
        #expect(limiter.count(at: start + .seconds(61)) == 0)
    }
}
