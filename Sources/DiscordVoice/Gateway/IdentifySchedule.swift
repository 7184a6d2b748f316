/// When each shard may send IDENTIFY: Discord's `max_concurrency` rule as a state machine.
///
/// Shard `s` is in bucket `s % maxConcurrency`. A bucket sends one IDENTIFY at a time, and the
/// next no sooner than `interval` after the previous one's turn ended; at the first start, the
/// shards of a bucket go in shard order ("start them by bucket, in order").
///
/// The schedule holds no clock: every decision takes `now`, so it is driven by plain instants.
public struct IdentifySchedule: Sendable {
    /// What a waiting IDENTIFY does next.
    public enum Turn: Sendable, Hashable {
        /// Send now; the bucket is held until ``release(shard:sentAt:)``.
        case go
        /// Ask again at this instant.
        case waitUntil(ContinuousClock.Instant)
        /// Ask again after the bucket changes (another IDENTIFY was sent or given up).
        case waitForBucket
    }

    private struct Bucket {
        /// The ticket of the IDENTIFY on its way out, if one is.
        var holder: Int?
        /// The earliest instant the next IDENTIFY may go.
        var notBefore: ContinuousClock.Instant?
        /// Tickets waiting, with their shard, first come first.
        var waiting: [(ticket: Int, shard: Int)] = []
    }

    /// IDENTIFYs allowed at the same time, one per bucket.
    public let maxConcurrency: Int
    /// The least time between two IDENTIFYs of one bucket.
    public let interval: Duration
    private var buckets: [Int: Bucket] = [:]
    private var neverIdentified: Set<Int>

    /// A schedule for `maxConcurrency` buckets (at least 1); `shards` lists the shards that
    /// start together, to be started in order within each bucket.
    public init(maxConcurrency: Int, interval: Duration, shards: [Int] = []) {
        self.maxConcurrency = max(1, maxConcurrency)
        self.interval = interval
        self.neverIdentified = Set(shards)
    }

    /// The bucket (`rate_limit_key`) of `shard`.
    public func bucket(of shard: Int) -> Int {
        shard % maxConcurrency
    }

    /// Puts ticket `ticket` of `shard` in line.
    public mutating func enqueue(ticket: Int, shard: Int) {
        buckets[bucket(of: shard), default: Bucket()].waiting.append((ticket, shard))
    }

    /// Whether ticket `ticket` may send at `now`; on ``Turn/go`` it leaves the line and holds the bucket.
    public mutating func claim(ticket: Int, shard: Int, at now: ContinuousClock.Instant) -> Turn {
        let key = bucket(of: shard)
        guard var bucket = buckets[key], bucket.holder == nil, let next = nextInLine(bucket),
            bucket.waiting[next].ticket == ticket
        else { return .waitForBucket }
        if let notBefore = bucket.notBefore, notBefore > now { return .waitUntil(notBefore) }
        bucket.waiting.remove(at: next)
        bucket.holder = ticket
        buckets[key] = bucket
        return .go
    }

    /// Ends ticket `ticket`'s hold on `shard`'s bucket, or takes it out of line: `sentAt` is
    /// when its IDENTIFY's turn ended, nil when none was sent.
    public mutating func release(ticket: Int, shard: Int, sentAt: ContinuousClock.Instant?) {
        let key = bucket(of: shard)
        guard var bucket = buckets[key] else { return }
        if bucket.holder == ticket { bucket.holder = nil }
        bucket.waiting.removeAll { $0.ticket == ticket }
        if let sentAt {
            bucket.notBefore = sentAt + interval
            neverIdentified.remove(shard)
        }
        buckets[key] = bucket
    }

    /// The index of the ticket whose turn it is: the lowest shard that has never identified
    /// while any such shard waits, else the first come.
    private func nextInLine(_ bucket: Bucket) -> Int? {
        let starting = bucket.waiting.indices.filter { neverIdentified.contains(bucket.waiting[$0].shard) }
        let lowestStarting = starting.min { bucket.waiting[$0].shard < bucket.waiting[$1].shard }
        let blockedByLowerShard = lowestStarting.map { index in
            neverIdentified.contains { $0 < bucket.waiting[index].shard && self.bucket(of: $0) == self.bucket(of: bucket.waiting[index].shard) }
        } ?? false
        if blockedByLowerShard { return nil }
        return lowestStarting ?? bucket.waiting.indices.first
    }
}
