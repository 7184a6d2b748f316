import DiscordREST
import DiscordVoice
import ScreamCore

/// The shards one bot process starts: which ids of how many, and how many may IDENTIFY at once.
public struct ShardPlan: Sendable, Hashable {
    /// The shard ids this process runs.
    public var ids: ClosedRange<Int>
    /// The shard count across every process, sent in each IDENTIFY.
    public var count: Int
    /// `max_concurrency`: shards that may IDENTIFY in the same 5 s.
    public var maxConcurrency: Int

    /// The plan `selection` gives with what `GET /gateway/bot` said (nil when it could not be
    /// read: one shard unless a count was given, one IDENTIFY at a time).
    public init(_ selection: ShardSelection, gateway: GatewayBot?) {
        count = selection.count ?? max(1, gateway?.shards ?? 1)
        ids = selection.ids ?? 0...(count - 1)
        maxConcurrency = max(1, gateway?.sessionStartLimit.maxConcurrency ?? 1)
    }

    /// The shards, in id order.
    public var shards: [GatewayShard] {
        ids.compactMap { GatewayShard(id: $0, count: count) }
    }

    /// `shards 0-7 of 32` or `shard 3 of 4`, for the log.
    public var description: String {
        ids.count == 1 ? "shard \(ids.lowerBound) of \(count)" : "shards \(ShardSelection.text(for: ids)) of \(count)"
    }
}
