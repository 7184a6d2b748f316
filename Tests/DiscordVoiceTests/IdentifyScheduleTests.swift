import DiscordVoice
import Testing

/// `max_concurrency` as ``IdentifySchedule`` applies it, driven by instants handed in (no clock).
@Suite struct IdentifyScheduleTests {
    let start = ContinuousClock.now
    let interval = Duration.seconds(5)

    /// A schedule starting `shards` with ticket `n + 1` of `shards[n]` in line for each.
    func starting(_ shards: [Int], maxConcurrency: Int) -> IdentifySchedule {
        var schedule = IdentifySchedule(maxConcurrency: maxConcurrency, interval: interval, shards: shards)
        for (index, shard) in shards.enumerated() { schedule.enqueue(ticket: index + 1, shard: shard) }
        return schedule
    }

    @Test func shardsInDifferentBucketsIdentifyTogether() {
        var schedule = starting([0, 1], maxConcurrency: 2)
        #expect(schedule.claim(ticket: 1, shard: 0, at: start) == .go)
        #expect(schedule.claim(ticket: 2, shard: 1, at: start) == .go)
    }

    @Test func theNextIdentifyOfABucketWaitsAnIntervalAfterThePreviousWentOut() {
        var schedule = starting([0, 1], maxConcurrency: 1)
        #expect(schedule.claim(ticket: 1, shard: 0, at: start) == .go)
        #expect(schedule.claim(ticket: 2, shard: 1, at: start) == .waitForBucket)
        let sent = start + .milliseconds(300)
        schedule.release(ticket: 1, shard: 0, sentAt: sent)
        #expect(schedule.claim(ticket: 2, shard: 1, at: sent + .seconds(1)) == .waitUntil(sent + interval))
        #expect(schedule.claim(ticket: 2, shard: 1, at: sent + interval) == .go)
    }

    @Test func bucketsOfTwoStartInOrderZeroAndOneThenTwoAndThree() {
        var schedule = starting([3, 2, 1, 0], maxConcurrency: 2)
        #expect(schedule.claim(ticket: 1, shard: 3, at: start) == .waitForBucket)
        #expect(schedule.claim(ticket: 2, shard: 2, at: start) == .waitForBucket)
        #expect(schedule.claim(ticket: 3, shard: 1, at: start) == .go)
        #expect(schedule.claim(ticket: 4, shard: 0, at: start) == .go)
        schedule.release(ticket: 3, shard: 1, sentAt: start)
        schedule.release(ticket: 4, shard: 0, sentAt: start)
        #expect(schedule.claim(ticket: 2, shard: 2, at: start) == .waitUntil(start + interval))
        #expect(schedule.claim(ticket: 1, shard: 3, at: start + interval) == .go)
        #expect(schedule.claim(ticket: 2, shard: 2, at: start + interval) == .go)
    }

    @Test func aTurnGivenUpWithoutSendingLeavesTheBucketFree() {
        var schedule = IdentifySchedule(maxConcurrency: 1, interval: interval)
        schedule.enqueue(ticket: 1, shard: 0)
        schedule.enqueue(ticket: 2, shard: 0)
        #expect(schedule.claim(ticket: 1, shard: 0, at: start) == .go)
        schedule.release(ticket: 1, shard: 0, sentAt: nil)
        #expect(schedule.claim(ticket: 2, shard: 0, at: start) == .go)
    }

    @Test func reidentifiesAfterTheStartGoFirstComeFirstServed() {
        var schedule = IdentifySchedule(maxConcurrency: 1, interval: interval, shards: [0, 1])
        for (ticket, shard) in [(1, 0), (2, 1)] {
            schedule.enqueue(ticket: ticket, shard: shard)
            #expect(schedule.claim(ticket: ticket, shard: shard, at: start + interval * (ticket - 1)) == .go)
            schedule.release(ticket: ticket, shard: shard, sentAt: start + interval * (ticket - 1))
        }
        schedule.enqueue(ticket: 3, shard: 1)
        schedule.enqueue(ticket: 4, shard: 0)
        let later = start + interval * 3
        #expect(schedule.claim(ticket: 4, shard: 0, at: later) == .waitForBucket)
        #expect(schedule.claim(ticket: 3, shard: 1, at: later) == .go)
    }

    @Test func theBucketIsTheShardModuloMaxConcurrency() {
        let schedule = IdentifySchedule(maxConcurrency: 16, interval: interval)
        #expect([0, 15, 16, 31, 33].map(schedule.bucket(of:)) == [0, 15, 0, 15, 1])
        #expect(IdentifySchedule(maxConcurrency: 0, interval: interval).maxConcurrency == 1)
    }
}
