import Testing

@testable import DiscordVoice

/// The shared sender's parts that need no socket: the deadline heap, the frame ring and the
/// spreading of streams over the pool's threads.
@Suite struct SenderPoolTests {
    @Test func theHeapGivesTheEarliestDeadlineFirst() {
        let origin = ContinuousClock.now
        var heap = DeadlineHeap<Int>()
        for offset in [7, 3, 9, 1, 5, 3, 8, 0] { heap.push(offset, due: origin + .milliseconds(offset)) }
        var order: [Int] = []
        while let entry = heap.popFirst() { order.append(entry.item) }
        #expect(order == [0, 1, 3, 3, 5, 7, 8, 9])
    }

    @Test func theHeapKeepsItsCapacityThroughPopsAndPushes() {
        let origin = ContinuousClock.now
        var heap = DeadlineHeap<Int>()
        heap.reserveCapacity(16)
        let capacity = heap.capacity
        for index in 0..<16 { heap.push(index, due: origin + .milliseconds(index)) }
        for round in 0..<100 {
            let entry = heap.popFirst()!
            heap.push(entry.item, due: entry.due + .milliseconds(20 + round % 3))
        }
        #expect(heap.count == 16)
        #expect(heap.capacity == capacity)
    }

    @Test func theRingKeepsFramesInOrderAsItGrowsAndReusesItsBuffers() {
        var ring = FrameRing(capacity: 2, bytes: 8)
        for value in UInt8(1)...3 { ring.append([value, value]) }
        #expect(ring.count == 3)
        #expect(ring.first == [1, 1])
        ring.removeFirst()
        ring.append([4])
        var seen: [[UInt8]] = []
        while !ring.isEmpty {
            seen.append(ring.first)
            ring.removeFirst()
        }
        #expect(seen == [[2, 2], [3, 3], [4]])
    }

    @Test func deadlinesOfStreamsStartedApartShareOneMillisecondGrid() {
        let start = ContinuousClock.now
        let grid = RealtimeSender.deadlineGrid
        let first = RealtimeSender.onGrid(start)
        for microseconds in [1, 250, 999, 1000, 1001, 12_345, 20_000, 987_654_321] {
            let instant = start + .microseconds(microseconds)
            let aligned = RealtimeSender.onGrid(instant)
            #expect(aligned >= instant - .nanoseconds(1))
            #expect(aligned - instant < grid)
            let apart = (aligned - first) / grid
            #expect(apart == apart.rounded())
            #expect(RealtimeSender.onGrid(aligned) == aligned)
        }
    }

    @Test(.timeLimit(.minutes(1))) func streamsGoToTheLeastLoadedThreadAndLeaveWhenTheyFinish() async {
        let pool = SenderPool(threads: 2)
        let senders = (0..<4).map { _ in RealtimeSender(pool: pool) }
        for sender in senders { sender.start() }
        #expect(pool.loads == [2, 2])
        for sender in senders {
            sender.enqueue([0xF8, 0xFF, 0xFE])
            let report = await sender.finish(tail: [], dropQueued: false)
            #expect(report.framesSent == 0)
            #expect(!sender.isRunning)
        }
        #expect(pool.loads == [0, 0])
    }
}
