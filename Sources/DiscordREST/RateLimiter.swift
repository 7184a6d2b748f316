import Foundation

/// Discord's rate limits as the client sees them: per-route buckets learned from the
/// `X-RateLimit-*` headers, the global requests-per-second limit and global 429 pauses,
/// and the count of invalid requests that would get the IP banned.
///
/// `acquire` waits until a request may go out; `record` learns from each answer.
actor RateLimiter {
    /// What one answer said about the limits.
    struct Answer: Sendable {
        /// HTTP status.
        var status: Int
        /// `X-RateLimit-Bucket`.
        var bucket: String?
        /// `X-RateLimit-Remaining`.
        var remaining: Int?
        /// `X-RateLimit-Reset-After`, seconds.
        var resetAfter: Double?
        /// `X-RateLimit-Global: true`, or `"global": true` in a 429 body.
        var global: Bool
        /// `X-RateLimit-Scope`.
        var scope: String?
        /// How long a 429 asks to wait, seconds.
        var retryAfter: Double?
    }

    private struct Bucket {
        var remaining: Int
        var resetAt: ContinuousClock.Instant
    }

    private let clock = ContinuousClock()
    private let globalPerSecond: Int
    private let invalidLimit: Int
    private static let invalidWindow: Duration = .seconds(600)
    private static let inFlightPoll: Duration = .milliseconds(20)
    private var bucketHashes: [String: String] = [:]
    private var buckets: [String: Bucket] = [:]
    private var globalPausedUntil: ContinuousClock.Instant?
    /// When recent non-exempt requests were answered: Discord counts them on arrival, which is
    /// no later than the answer, so counting from the answer never exceeds the limit.
    private var recentGlobal: [ContinuousClock.Instant] = []
    /// Non-exempt requests sent and not yet answered.
    private var globalInFlight = 0
    private var invalid: [ContinuousClock.Instant] = []

    /// Creates a limiter allowing `globalPerSecond` non-exempt requests a second and
    /// refusing everything once `invalidLimit` invalid answers fall in ten minutes.
    init(globalPerSecond: Int, invalidLimit: Int) {
        self.globalPerSecond = globalPerSecond
        self.invalidLimit = invalidLimit
    }

    /// Waits until `route` may be sent, and counts it against its bucket and the global limit.
    ///
    /// - Returns: how long it waited.
    func acquire(_ route: Route) async throws(DiscordRESTError) -> Duration {
        let start = clock.now
        while true {
            try checkInvalidBudget()
            guard let wait = delay(for: route) else { break }
            do { try await clock.sleep(for: wait) } catch { throw .transport(route: route.description, reason: "cancelled") }
        }
        reserve(route)
        return clock.now - start
    }

    /// Learns from the answer to `route`; nil when the exchange failed without one.
    func record(_ answer: Answer?, for route: Route) {
        let now = clock.now
        if !route.isExemptFromGlobalLimit {
            globalInFlight -= 1
            recentGlobal.append(now)
        }
        guard let answer else { return }
        if answer.status == 401 || answer.status == 403 || (answer.status == 429 && answer.scope != "shared") {
            invalid.append(now)
        }
        if let hash = answer.bucket { bucketHashes[route.bucketLookupKey] = hash }
        let key = bucketKey(route)
        if let remaining = answer.remaining, let resetAfter = answer.resetAfter {
            buckets[key] = Bucket(remaining: remaining, resetAt: now + .seconds(resetAfter))
        }
        if answer.status == 429, let retryAfter = answer.retryAfter {
            let until = now + .seconds(retryAfter)
            if answer.global || answer.scope == "global" {
                globalPausedUntil = max(globalPausedUntil ?? until, until)
            }
            buckets[key] = Bucket(remaining: 0, resetAt: max(buckets[key]?.resetAt ?? until, until))
        }
    }

    private func checkInvalidBudget() throws(DiscordRESTError) {
        let horizon = clock.now - Self.invalidWindow
        invalid.removeAll { $0 < horizon }
        if invalid.count >= invalidLimit {
            throw .invalidRequestLimitReached(count: invalid.count, windowMinutes: 10)
        }
    }

    /// How long `route` must still wait, or nil when it may go now.
    private func delay(for route: Route) -> Duration? {
        let now = clock.now
        var waits: [Duration] = []
        if !route.isExemptFromGlobalLimit {
            if let until = globalPausedUntil, until > now { waits.append(until - now) }
            recentGlobal.removeAll { $0 <= now - .seconds(1) }
            if recentGlobal.count + globalInFlight >= globalPerSecond {
                waits.append(recentGlobal.first.map { $0 + .seconds(1) - now } ?? Self.inFlightPoll)
            }
        }
        let key = bucketKey(route)
        if let bucket = buckets[key], bucket.remaining <= 0 {
            if bucket.resetAt > now { waits.append(bucket.resetAt - now) } else { buckets[key] = nil }
        }
        return waits.max()
    }

    private func reserve(_ route: Route) {
        if !route.isExemptFromGlobalLimit { globalInFlight += 1 }
        buckets[bucketKey(route)]?.remaining -= 1
    }

    /// The bucket Discord named for the route, else the route itself, split by its major parameter.
    private func bucketKey(_ route: Route) -> String {
        (bucketHashes[route.bucketLookupKey] ?? route.bucketLookupKey) + ":" + route.majorParameter
    }
}
