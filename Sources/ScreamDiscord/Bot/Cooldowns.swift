import DiscordVoice

/// When each user may scream again: a user who screamed waits `cooldown` before the next.
public struct Cooldowns: Sendable {
    /// The wait between one user's screams.
    public let cooldown: Duration
    private var lastScream: [Snowflake: ContinuousClock.Instant] = [:]

    /// Cooldowns of `cooldown` each; zero turns them off.
    public init(cooldown: Duration) {
        self.cooldown = cooldown
    }

    /// How long `user` still has to wait at `now`, or `nil` if they may scream.
    public func remaining(for user: Snowflake, at now: ContinuousClock.Instant) -> Duration? {
        guard let last = lastScream[user] else { return nil }
        let left = last + cooldown - now
        return left > .zero ? left : nil
    }

    /// Records that `user` screamed at `now`, and forgets users whose wait is over.
    public mutating func record(_ user: Snowflake, at now: ContinuousClock.Instant) {
        lastScream = lastScream.filter { $0.value + cooldown > now }
        lastScream[user] = now
    }

    /// The whole seconds left, rounded up, for the refusal sentence.
    public static func wholeSeconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }
}
