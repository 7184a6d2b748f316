/// Discord's gateway send limit as a value: at most 120 messages per rolling 60 s per connection,
/// with room kept so heartbeats are never held back by ordinary sends.
struct GatewaySendLimiter: Sendable {
    /// How many of Discord's 120 may be ordinary sends; the other 10 stay free for heartbeats.
    static let ordinaryLimit = 110
    /// The rolling window.
    static let window = Duration.seconds(60)

    /// When each send of the current window went out, oldest first.
    private var sent: [ContinuousClock.Instant] = []

    /// How long a send must wait at `now`; zero means it may go now. An ordinary send waits while
    /// 110 sends (heartbeats included) went out in the last 60 s; a heartbeat never waits.
    func delay(at now: ContinuousClock.Instant, heartbeat: Bool) -> Duration {
        guard !heartbeat else { return .zero }
        let recent = sent.filter { $0 + Self.window > now }
        guard recent.count >= Self.ordinaryLimit else { return .zero }
        return recent[recent.count - Self.ordinaryLimit] + Self.window - now
    }

    /// Takes a slot at `now` if the send may go and says whether it did.
    mutating func take(at now: ContinuousClock.Instant, heartbeat: Bool) -> Bool {
        sent.removeAll { $0 + Self.window <= now }
        guard delay(at: now, heartbeat: heartbeat) == .zero else { return false }
        sent.append(now)
        return true
    }

    /// Sends within the window ending at `now`.
    func count(at now: ContinuousClock.Instant) -> Int {
        sent.count(where: { $0 + Self.window > now })
    }
}
