import ScreamCore
import Synchronization

/// A bounded least-recently-used store of encoded screams: the Opus packets of a scream whose
/// parameters come again play from here, with no synthesis and no encoding.
///
/// Only whole sequences go in (a play that was cancelled or failed stores nothing), and one
/// larger than the whole cache is refused rather than emptying it. The size counts each packet's
/// bytes plus ``packetOverhead`` for its buffer.
public final class PacketCache: Sendable {
    /// What the packets depend on: the resolved parameters, the bitrate and the synthesizer.
    public struct Key: Sendable, Hashable {
        /// The scream's parameters (duration, seed and volume included).
        public var params: ScreamParams
        /// Opus bitrate in bits per second.
        public var bitrate: Int
        /// The synthesizer that rendered the samples.
        public var backend: Backend

        /// A key for the packets of `params` encoded at `bitrate` from `backend`.
        public init(params: ScreamParams, bitrate: Int, backend: Backend) {
            self.params = params
            self.bitrate = bitrate
            self.backend = backend
        }
    }

    /// Counts for a metrics layer: lookups that hit and missed, and what the cache holds.
    public struct Statistics: Sendable, Hashable {
        /// Lookups that found the packets.
        public var hits = 0
        /// Lookups that did not.
        public var misses = 0
        /// Sequences stored.
        public var stores = 0
        /// Sequences dropped to make room.
        public var evictions = 0
        /// Sequences refused for being larger than the whole cache.
        public var refusals = 0
        /// Sequences held now.
        public var entries = 0
        /// Bytes held now.
        public var bytes = 0
        /// The most bytes the cache holds.
        public var capacity = 0
    }

    /// Bytes counted for each packet besides its own: the array's header.
    public static let packetOverhead = 32

    private struct Entry {
        var packets: [[UInt8]]
        var bytes: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var clock: UInt64 = 0
        var statistics = Statistics()
    }

    private let state: Mutex<State>

    /// A cache holding at most `capacity` bytes.
    public init(capacity: Int) {
        var initial = State()
        initial.statistics.capacity = max(0, capacity)
        state = Mutex(initial)
    }

    /// The most bytes the cache holds.
    public var capacity: Int { state.withLock { $0.statistics.capacity } }

    /// The counts so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// The bytes `packets` take in the cache.
    public static func size(of packets: [[UInt8]]) -> Int {
        packets.reduce(0) { $0 + $1.count + packetOverhead }
    }

    /// The packets stored for `key`, counted as a hit (and made the most recent), or nil, a miss.
    public func packets(for key: Key) -> [[UInt8]]? {
        state.withLock { state in
            guard var entry = state.entries[key] else {
                state.statistics.misses += 1
                return nil
            }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            state.statistics.hits += 1
            return entry.packets
        }
    }

    /// Stores `packets` for `key` as the most recent, evicting the least recently used entries
    /// until they fit; returns false (and stores nothing) when they are larger than the cache.
    @discardableResult
    public func store(_ packets: [[UInt8]], for key: Key) -> Bool {
        let bytes = Self.size(of: packets)
        return state.withLock { state in
            guard bytes <= state.statistics.capacity else {
                state.statistics.refusals += 1
                return false
            }
            if let old = state.entries.removeValue(forKey: key) {
                state.statistics.bytes -= old.bytes
            }
            while state.statistics.bytes + bytes > state.statistics.capacity,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                state.entries.removeValue(forKey: oldest.key)
                state.statistics.bytes -= oldest.value.bytes
                state.statistics.evictions += 1
            }
            state.clock += 1
            state.entries[key] = Entry(packets: packets, bytes: bytes, lastUse: state.clock)
            state.statistics.bytes += bytes
            state.statistics.stores += 1
            state.statistics.entries = state.entries.count
            return true
        }
    }
}

/// Plays stored packets as an async sequence; ends early once the task is cancelled, as an
/// encoding sequence does.
struct StoredPacketSequence: AsyncSequence, AsyncIteratorProtocol {
    typealias Element = [UInt8]
    typealias Failure = Never

    private let packets: [[UInt8]]
    private var index = 0

    init(_ packets: [[UInt8]]) {
        self.packets = packets
    }

    func makeAsyncIterator() -> Self { self }

    mutating func next(isolation actor: isolated (any Actor)?) async -> [UInt8]? {
        guard !Task.isCancelled, index < packets.count else { return nil }
        defer { index += 1 }
        return packets[index]
    }

    mutating func next() async -> [UInt8]? {
        await next(isolation: nil)
    }
}

/// Passes packets through while keeping a copy of each, to store them once they all went by.
///
/// It gives up keeping (and frees what it kept) once the copy is larger than `limit` bytes.
struct RecordingPacketSequence<Base: AsyncSequence>: AsyncSequence, AsyncIteratorProtocol where Base.Element == [UInt8] {
    typealias Element = [UInt8]
    typealias Failure = any Error

    /// The copy, shared between the sequence (which the player consumes) and whoever stores it.
    final class Recording: Sendable {
        private struct State {
            var packets: [[UInt8]] = []
            var bytes = 0
            var complete = false
            var overflowed = false
        }

        private let state = Mutex(State())
        private let limit: Int

        init(limit: Int) {
            self.limit = limit
        }

        func append(_ packet: [UInt8]) {
            state.withLock { state in
                guard !state.overflowed else { return }
                state.bytes += packet.count + PacketCache.packetOverhead
                guard state.bytes <= limit else {
                    state.overflowed = true
                    state.packets = []
                    return
                }
                state.packets.append(packet)
            }
        }

        func markComplete() {
            state.withLock { $0.complete = true }
        }

        /// Every packet, when the sequence ran to its end and fit; nil otherwise.
        var wholeSequence: [[UInt8]]? {
            state.withLock { $0.complete && !$0.overflowed ? $0.packets : nil }
        }
    }

    private var base: Base.AsyncIterator
    /// Where the packets are copied.
    let recording: Recording

    init(_ base: Base, limit: Int) {
        self.base = base.makeAsyncIterator()
        self.recording = Recording(limit: limit)
    }

    func makeAsyncIterator() -> Self { self }

    mutating func next(isolation actor: isolated (any Actor)?) async throws -> [UInt8]? {
        guard let packet = try await base.next(isolation: actor) else {
            if !Task.isCancelled { recording.markComplete() }
            return nil
        }
        recording.append(packet)
        return packet
    }

    mutating func next() async throws -> [UInt8]? {
        try await next(isolation: nil)
    }
}
