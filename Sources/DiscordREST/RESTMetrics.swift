import Metrics

/// The HTTP API client's counters, through the swift-metrics API.
///
/// The `route` dimension is `METHOD /template` (``Route/description``): a fixed set of
/// values that never holds an id or a token. Nothing is counted until the process
/// bootstraps a metrics backend.
enum RESTMetrics {
    /// `scream_rest_requests_total{route, status}`: answered requests (every attempt, retries
    /// included) by route and HTTP status; `status="error"` when no answer came.
    static let requests = "scream_rest_requests_total"
    /// `scream_rest_rate_limited_total{route, scope}`: 429 answers by route and scope
    /// (`user`, `global` or `shared`).
    static let rateLimited = "scream_rest_rate_limited_total"

    /// Counts one attempt at `route` that Discord answered with `status`, or did not answer (`nil`).
    static func recordRequest(_ route: Route, status: Int?) {
        let status = status.map { String($0) } ?? "error"
        Counter(label: requests, dimensions: [("route", route.description), ("status", status)]).increment()
    }

    /// Counts one 429 at `route`.
    static func recordRateLimit(_ route: Route, scope: String) {
        Counter(label: rateLimited, dimensions: [("route", route.description), ("scope", scope)]).increment()
    }
}
