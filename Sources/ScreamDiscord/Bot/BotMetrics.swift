import DiscordVoice
import Metrics
import Prometheus

/// Every metric `scream bot` exports at `/metrics`, through the swift-metrics API.
///
/// The bot's own metrics are defined here; the gateway session counts
/// `scream_gateway_reconnects_total{shard}` and `scream_gateway_resumes_total{shard}`
/// (DiscordVoice's `GatewayMetrics`), and the HTTP API client counts
/// `scream_rest_requests_total{route,status}` and `scream_rest_rate_limited_total{route,scope}`
/// (DiscordREST's `RESTMetrics`). Every label takes values from a fixed set: outcomes, refusal
/// reasons, route templates, statuses, shard ids; never an id or a token. Until
/// ``registry`` is first used every call here is a no-op, so the bot without `--metrics` pays nothing
/// but the call.
public enum BotMetrics {
    /// `scream_interactions_total{outcome="accepted"}` and
    /// `scream_interactions_total{outcome="refused",reason}`: `/scream` interactions answered,
    /// with the ``Refusal`` case as `reason` (see ``Refusal/metricReason``).
    static let interactions = "scream_interactions_total"
    /// `scream_screams_total{outcome}`: screams that ended, `played` to the end, `stopped` on
    /// the way (shutdown, a new session, the bot removed) or `failed` (join, voice, synthesizer).
    static let screams = "scream_screams_total"
    /// `scream_voice_sessions`: voice connections the bot holds now, across guilds.
    static let voiceSessions = "scream_voice_sessions"
    /// `scream_sender_lateness_seconds`: how late each packet left against its 20 ms deadline,
    /// a histogram fed from every scream's ``PlaybackReport/lateness`` once the scream is over.
    static let senderLateness = "scream_sender_lateness_seconds"
    /// `scream_packet_cache_hits_total`: scream packet lookups the cache answered.
    static let packetCacheHits = "scream_packet_cache_hits_total"
    /// `scream_packet_cache_misses_total`: scream packet lookups that had to render.
    static let packetCacheMisses = "scream_packet_cache_misses_total"

    /// The lateness histogram's buckets: the sender aims well under a millisecond, and a
    /// packet 20 ms late has missed its slot.
    static let latenessBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
    ]

    /// How a scream ended.
    enum ScreamOutcome: String, CaseIterable {
        /// Played to the end.
        case played
        /// Ended early: shutdown, a new gateway session, the bot removed from the guild.
        case stopped
        /// Could not play: the join, the voice connection or the synthesizer failed.
        case failed
    }

    /// The registry `/metrics` renders, bootstrapped as swift-metrics' backend on first use
    /// (once per process); the bot's series start at zero so that a scrape sees them all.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[senderLateness] = latenessBuckets
        MetricsSystem.bootstrap(factory)
        Counter(label: interactions, dimensions: [("outcome", "accepted")]).increment(by: 0)
        for outcome in ScreamOutcome.allCases {
            Counter(label: screams, dimensions: [("outcome", outcome.rawValue)]).increment(by: 0)
        }
        Meter(label: voiceSessions).set(0)
        _ = Timer(label: senderLateness)
        Counter(label: packetCacheHits).increment(by: 0)
        Counter(label: packetCacheMisses).increment(by: 0)
        return registry
    }()

    /// Counts an accepted `/scream`.
    static func recordAccepted() {
        Counter(label: interactions, dimensions: [("outcome", "accepted")]).increment()
    }

    /// Counts a refused `/scream` by its reason.
    static func recordRefused(_ refusal: Refusal) {
        Counter(label: interactions, dimensions: [("outcome", "refused"), ("reason", refusal.metricReason)]).increment()
    }

    /// Counts a scream that ended, and feeds its packets' lateness to the histogram.
    ///
    /// Runs after the scream, on the guild's actor: the 20 ms sender thread never touches a metric.
    static func recordScream(_ outcome: ScreamOutcome, report: PlaybackReport?) {
        Counter(label: screams, dimensions: [("outcome", outcome.rawValue)]).increment()
        guard let report else { return }
        let timer = Timer(label: senderLateness)
        report.lateness.forEachBucket { edge, count in
            let nanoseconds = edge / .nanoseconds(1)
            for _ in 0..<count { timer.recordNanoseconds(Int64(nanoseconds)) }
        }
    }

    /// Counts a voice connection opened (`true`) or closed (`false`).
    static func recordVoiceSession(open: Bool) {
        let gauge = Meter(label: voiceSessions)
        if open { gauge.increment() } else { gauge.decrement() }
    }

    /// Counts one lookup in the scream packet cache: a `hit` served cached packets, a miss rendered them.
    public static func recordPacketCache(hit: Bool) {
        Counter(label: hit ? packetCacheHits : packetCacheMisses).increment()
    }
}

extension Refusal {
    /// The refusal's case as a metric label value: one of a fixed set, without its details.
    var metricReason: String {
        switch self {
        case .notInVoice: "not_in_voice"
        case .stage: "stage"
        case .missingPermissions: "missing_permissions"
        case .channelFull: "channel_full"
        case .coolingDown: "cooling_down"
        case .queueFull: "queue_full"
        case .badOption: "bad_option"
        case .notInGuild: "not_in_guild"
        case .guildUnavailable: "guild_unavailable"
        case .shuttingDown: "shutting_down"
        }
    }
}
