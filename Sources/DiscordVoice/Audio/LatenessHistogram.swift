/// Send-time lateness against the schedule, in 0.1 ms buckets (the last bucket holds everything later).
public struct LatenessHistogram: Sendable, Hashable {
    /// Bucket width.
    public static let resolution = Duration.microseconds(100)
    private var buckets = [Int](repeating: 0, count: 501)
    /// The largest lateness seen.
    public private(set) var maximum = Duration.zero
    /// Samples recorded.
    public private(set) var count = 0

    /// An empty histogram.
    public init() {}

    /// Records one send that happened `lateness` after its deadline (negative counts as zero).
    public mutating func record(_ lateness: Duration) {
        let clamped = max(lateness, .zero)
        let index = min(Int(clamped / Self.resolution), buckets.count - 1)
        buckets[index] += 1
        maximum = max(maximum, clamped)
        count += 1
    }

    /// Calls `body` for every bucket that holds samples, in order, with its upper edge (at
    /// most the maximum, as in ``percentile(_:)``; the maximum itself for the last bucket) and
    /// its sample count.
    public func forEachBucket(_ body: (_ upperEdge: Duration, _ count: Int) -> Void) {
        for (index, bucketCount) in buckets.enumerated() where bucketCount > 0 {
            let edge = index == buckets.count - 1 ? maximum : Self.resolution * (index + 1)
            body(min(edge, maximum), bucketCount)
        }
    }

    /// The lateness below which `fraction` of the sends fall (upper bucket edge).
    public func percentile(_ fraction: Double) -> Duration {
        guard count > 0 else { return .zero }
        let target = Int((Double(count) * fraction).rounded(.up))
        var seen = 0
        for (index, bucketCount) in buckets.enumerated() {
            seen += bucketCount
            if seen >= max(target, 1) { return min(Self.resolution * (index + 1), maximum) }
        }
        return maximum
    }
}
