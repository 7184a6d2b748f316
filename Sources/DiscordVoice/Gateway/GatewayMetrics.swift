import Metrics

/// The gateway session's counters, through the swift-metrics API; each carries a `shard`
/// dimension (the shard id, 0 for an unsharded session).
///
/// Nothing is counted anywhere until the process bootstraps a metrics backend.
enum GatewayMetrics {
    /// `scream_gateway_reconnects_total{shard}`: sessions that lost their socket and reconnected
    /// (to resume or identify again), counted once per reconnect however many attempts it takes.
    static let reconnects = "scream_gateway_reconnects_total"
    /// `scream_gateway_resumes_total{shard}`: RESUMED dispatches, reconnects that kept the session.
    static let resumes = "scream_gateway_resumes_total"

    /// Counts one reconnect of `shard`.
    static func recordReconnect(shard: Int) {
        Counter(label: reconnects, dimensions: [("shard", String(shard))]).increment()
    }

    /// Counts one resume of `shard`.
    static func recordResume(shard: Int) {
        Counter(label: resumes, dimensions: [("shard", String(shard))]).increment()
    }
}
