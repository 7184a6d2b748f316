/// What a long-running bot hears from the gateway session, in arrival order (``GatewayClient/events``).
public enum GatewayEvent: Sendable, Hashable {
    /// INTERACTION_CREATE: the raw interaction object (`d`), for the bot to parse and answer.
    case interaction(JSONValue)
    /// GUILD_CREATE: the guild's state is known (again) and current.
    case guildAvailable(Snowflake)
    /// GUILD_CREATE or GUILD_DELETE with `unavailable: true`: an outage; the guild comes back later.
    case guildUnavailable(Snowflake)
    /// GUILD_DELETE without `unavailable`: the bot was removed from the guild; its state is gone.
    case guildRemoved(Snowflake)
    /// RESUMED: the session went on after a reconnect and missed events were replayed.
    case resumed
    /// A fresh READY replaced an earlier session (after INVALID_SESSION or a failed resume):
    /// whatever was in flight on the old session is gone.
    case sessionReplaced
}
