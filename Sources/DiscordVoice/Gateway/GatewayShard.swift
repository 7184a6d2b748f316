/// One shard of a sharded gateway session: `id` of `count`, sent in IDENTIFY as `[id, count]`.
///
/// A guild's events arrive on, and its voice state updates (op 4) must go through, the shard
/// that owns it: `(guild_id >> 22) % count`.
public struct GatewayShard: Sendable, Hashable, CustomStringConvertible {
    /// This shard's number, from 0 to `count - 1`.
    public let id: Int
    /// How many shards the bot's guilds are spread over.
    public let count: Int

    /// A shard; nil unless `0 <= id < count`.
    public init?(id: Int, count: Int) {
        guard count > 0, (0..<count).contains(id) else { return nil }
        self.id = id
        self.count = count
    }

    /// The shard number that owns `guild` among `count` shards.
    public static func owner(of guild: Snowflake, count: Int) -> Int {
        Int((guild.rawValue >> 22) % UInt64(count))
    }

    /// Whether this shard owns `guild`.
    public func owns(_ guild: Snowflake) -> Bool {
        Self.owner(of: guild, count: count) == id
    }

    /// `shard 3/8`.
    public var description: String { "shard \(id)/\(count)" }
}
