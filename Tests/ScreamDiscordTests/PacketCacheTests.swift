import ScreamCore
import Testing

@testable import ScreamDiscord

/// The packet cache's LRU order and byte accounting, without sockets.
@Suite struct PacketCacheTests {
    /// A key for the classic preset at `seconds`; different durations make different keys.
    static func key(_ seconds: Double, bitrate: Int = 64_000) -> PacketCache.Key {
        var params = Preset.classic.params
        params.duration = seconds
        return PacketCache.Key(params: params, bitrate: bitrate, backend: .native)
    }

    /// `count` packets of `bytes` bytes each, filled with `value`.
    static func packets(_ count: Int, bytes: Int, value: UInt8 = 1) -> [[UInt8]] {
        Array(repeating: Array(repeating: value, count: bytes), count: count)
    }

    @Test func aStoredSequenceComesBackAndCountsAsAHit() {
        let cache = PacketCache(capacity: 10_000)
        #expect(cache.packets(for: Self.key(1)) == nil)
        let packets = Self.packets(3, bytes: 100, value: 7)
        #expect(cache.store(packets, for: Self.key(1)))
        #expect(cache.packets(for: Self.key(1)) == packets)
        let statistics = cache.statistics
        #expect(statistics.hits == 1)
        #expect(statistics.misses == 1)
        #expect(statistics.stores == 1)
        #expect(statistics.entries == 1)
    }

    @Test func theBytesCountEachPacketAndItsOverhead() {
        let cache = PacketCache(capacity: 10_000)
        cache.store(Self.packets(3, bytes: 100), for: Self.key(1))
        cache.store(Self.packets(2, bytes: 50), for: Self.key(2))
        #expect(cache.statistics.bytes == 3 * (100 + PacketCache.packetOverhead) + 2 * (50 + PacketCache.packetOverhead))
        cache.store(Self.packets(1, bytes: 10), for: Self.key(1))
        #expect(cache.statistics.bytes == (10 + PacketCache.packetOverhead) + 2 * (50 + PacketCache.packetOverhead))
        #expect(cache.statistics.entries == 2)
    }

    @Test func theLeastRecentlyUsedEntryGoesFirst() {
        let entry = PacketCache.size(of: Self.packets(4, bytes: 100))
        let cache = PacketCache(capacity: 3 * entry)
        for seconds in [1.0, 2, 3] { cache.store(Self.packets(4, bytes: 100), for: Self.key(seconds)) }
        _ = cache.packets(for: Self.key(1))
        cache.store(Self.packets(4, bytes: 100), for: Self.key(4))
        #expect(cache.packets(for: Self.key(2)) == nil)
        #expect(cache.packets(for: Self.key(1)) != nil)
        #expect(cache.packets(for: Self.key(3)) != nil)
        #expect(cache.packets(for: Self.key(4)) != nil)
        cache.store(Self.packets(8, bytes: 100), for: Self.key(5))
        #expect(cache.packets(for: Self.key(1)) == nil)
        #expect(cache.packets(for: Self.key(3)) == nil)
        #expect(cache.packets(for: Self.key(4)) != nil)
        #expect(cache.statistics.evictions == 3)
        #expect(cache.statistics.bytes == 3 * entry)
    }

    @Test func aSequenceLargerThanTheCacheIsRefusedAndEvictsNothing() {
        let cache = PacketCache(capacity: 1_000)
        cache.store(Self.packets(2, bytes: 100), for: Self.key(1))
        #expect(!cache.store(Self.packets(10, bytes: 100), for: Self.key(2)))
        #expect(cache.packets(for: Self.key(2)) == nil)
        #expect(cache.packets(for: Self.key(1)) != nil)
        #expect(cache.statistics.refusals == 1)
        #expect(cache.statistics.evictions == 0)
    }

    @Test func theBitrateIsPartOfTheKey() {
        let cache = PacketCache(capacity: 10_000)
        cache.store(Self.packets(1, bytes: 10), for: Self.key(1, bitrate: 64_000))
        #expect(cache.packets(for: Self.key(1, bitrate: 96_000)) == nil)
    }

    @Test func aRecordingKeepsOnlyASequenceThatRanToItsEnd() async throws {
        let whole = RecordingPacketSequence(StoredPacketSequence(Self.packets(3, bytes: 5)), limit: 1_000)
        var iterator = whole.makeAsyncIterator()
        while try await iterator.next() != nil {}
        #expect(whole.recording.wholeSequence == Self.packets(3, bytes: 5))

        let partial = RecordingPacketSequence(StoredPacketSequence(Self.packets(3, bytes: 5)), limit: 1_000)
        var partialIterator = partial.makeAsyncIterator()
        _ = try await partialIterator.next()
        #expect(partial.recording.wholeSequence == nil)

        let oversized = RecordingPacketSequence(StoredPacketSequence(Self.packets(3, bytes: 500)), limit: 1_000)
        var oversizedIterator = oversized.makeAsyncIterator()
        while try await oversizedIterator.next() != nil {}
        #expect(oversized.recording.wholeSequence == nil)
    }
}
