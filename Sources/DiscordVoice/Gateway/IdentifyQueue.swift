/// The IDENTIFY turns of the gateway sessions of one process, shared by its shards.
///
/// Each ``GatewayClient`` asks for a turn before every IDENTIFY (the first, and those after an
/// INVALID_SESSION or a reconnect that cannot resume) and releases it once Discord answered;
/// RESUMEs do not ask. The rules are ``IdentifySchedule``'s, with ``interval`` between a
/// bucket's IDENTIFYs counted from that answer, which Discord sent after it counted the IDENTIFY.
public actor IdentifyQueue {
    /// Discord's window of `max_concurrency` IDENTIFYs.
    public static let interval: Duration = .seconds(5)

    /// A granted turn, to be released once the IDENTIFY was answered (or was not sent).
    public struct Turn: Sendable, Hashable {
        fileprivate let ticket: Int
        /// The shard it was granted to.
        public let shard: Int
    }

    /// IDENTIFYs allowed at the same time, one per bucket.
    public nonisolated let maxConcurrency: Int
    /// How long the last of the starting shards may wait for its first turn: one interval per
    /// shard of the fullest bucket.
    public nonisolated let longestStartWait: Duration

    private var schedule: IdentifySchedule
    private var nextTicket = 0
    private var bucketWaiters: [Int: [CheckedContinuation<Void, Never>]] = [:]
    private let clock = ContinuousClock()

    /// A queue for `maxConcurrency` buckets; `shards` are the shards that start together,
    /// started in order within each bucket.
    public init(maxConcurrency: Int, shards: [Int] = [], interval: Duration = IdentifyQueue.interval) {
        schedule = IdentifySchedule(maxConcurrency: maxConcurrency, interval: interval, shards: shards)
        self.maxConcurrency = schedule.maxConcurrency
        let perBucket = (max(1, shards.count) + schedule.maxConcurrency - 1) / schedule.maxConcurrency
        self.longestStartWait = interval * perBucket
    }

    /// Waits for `shard`'s turn; nil when the task was cancelled first.
    public func turn(for shard: Int) async -> Turn? {
        nextTicket += 1
        let ticket = nextTicket
        schedule.enqueue(ticket: ticket, shard: shard)
        while !Task.isCancelled {
            switch schedule.claim(ticket: ticket, shard: shard, at: clock.now) {
            case .go:
                return Turn(ticket: ticket, shard: shard)
            case .waitUntil(let instant):
                try? await clock.sleep(until: instant)
            case .waitForBucket:
                await withCheckedContinuation { bucketWaiters[schedule.bucket(of: shard), default: []].append($0) }
            }
        }
        finish(ticket: ticket, shard: shard, sentAt: nil)
        return nil
    }

    /// Ends `turn`: `sent` when its IDENTIFY went out, which starts the bucket's interval now.
    public func release(_ turn: Turn, sent: Bool) {
        finish(ticket: turn.ticket, shard: turn.shard, sentAt: sent ? clock.now : nil)
    }

    private func finish(ticket: Int, shard: Int, sentAt: ContinuousClock.Instant?) {
        schedule.release(ticket: ticket, shard: shard, sentAt: sentAt)
        let waiting = bucketWaiters.removeValue(forKey: schedule.bucket(of: shard)) ?? []
        for waiter in waiting { waiter.resume() }
    }
}
