/// Which shards one `scream bot` process runs, from `--shards` and `--shard-count`.
///
/// Without either the process runs every shard of Discord's recommended count; with only a
/// count it runs all of that many; `--shards 0-7 --shard-count 32` runs a slice, so several
/// processes can split one bot.
public struct ShardSelection: Sendable, Hashable {
    /// The largest shard count accepted.
    public static let largestCount = 65_536

    /// The shard ids this process runs; nil runs every shard of the count.
    public var ids: ClosedRange<Int>?
    /// The total shard count across every process; nil takes Discord's recommendation.
    public var count: Int?

    /// A selection; ``validated(_:)`` checks that its parts agree.
    public init(ids: ClosedRange<Int>? = nil, count: Int? = nil) {
        self.ids = ids
        self.count = count
    }

    /// The selection the settings give; `--shards` without a count, or reaching beyond it, is an error.
    public static func validated(_ settings: Settings) throws(ConfigError) -> ShardSelection {
        let selection = ShardSelection(ids: settings.shards, count: settings.shardCount)
        guard let ids = selection.ids else { return selection }
        guard let count = selection.count else { throw .shardsWithoutCount(text(for: ids)) }
        guard ids.upperBound < count else { throw .shardsBeyondCount(text(for: ids), count: count) }
        return selection
    }

    /// `0-7`, or `3` for a single shard.
    public static func text(for ids: ClosedRange<Int>) -> String {
        ids.count == 1 ? "\(ids.lowerBound)" : "\(ids.lowerBound)-\(ids.upperBound)"
    }

    /// Parses `3` or `0-7` (the ends included, the first not above the second).
    static func range(_ text: String, source: ConfigSource) throws(ConfigError) -> ClosedRange<Int> {
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let ends = parts.map { Int($0) }
        guard (1...2).contains(parts.count), let first = ends.first ?? nil, let last = ends.last ?? nil,
            first >= 0, last < largestCount
        else {
            throw .invalidValue(
                setting: SettingKey.shards.settingName, value: text, source: source,
                expected: "a shard id or a range of them, such as 3 or 0-7")
        }
        guard first <= last else {
            throw .invalidValue(
                setting: SettingKey.shards.settingName, value: text, source: source,
                expected: "a range from the lower shard id to the higher, such as \(last)-\(first)")
        }
        return first...last
    }

    /// Parses a shard count from 1 to ``largestCount``.
    static func count(_ text: String, source: ConfigSource) throws(ConfigError) -> Int {
        guard let count = Int(text.trimmingWhitespace()), (1...largestCount).contains(count) else {
            throw .invalidValue(
                setting: SettingKey.shardCount.settingName, value: text, source: source,
                expected: "a whole number from 1 to \(largestCount)")
        }
        return count
    }
}
