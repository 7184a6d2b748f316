/// Why `scream bot` stopped or could not start.
public enum BotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// READY carried no application id, so the bot cannot register or answer commands.
    case noApplicationID
    /// Registering `/scream` was refused for lack of the `applications.commands` scope.
    case missingCommandsScope(inviteURL: String)
    /// Discord refused a request; the sentence names the route and the reason.
    case rest(String)
    /// The `--metrics` address could not be listened on (taken, or not this machine's).
    case metricsUnavailable(address: String, reason: String)
    /// Discord closed a shard with 4011: the bot is in too many guilds for its shard count;
    /// `count` is the count to run with instead.
    case shardingRequired(count: Int)

    public var description: String {
        switch self {
        case .noApplicationID:
            "Discord's READY carried no application id, so /scream cannot be registered or answered."
        case .missingCommandsScope(let inviteURL):
            "Discord refused to register /scream: the bot was added without the applications.commands scope; invite it again with \(inviteURL)"
        case .rest(let sentence):
            sentence
        case .metricsUnavailable(let address, let reason):
            "the metrics server cannot listen on \(address): \(reason); give --metrics a free port on this machine, or 0 for any."
        case .shardingRequired(let count):
            "Discord requires sharding for this bot: run it with --shard-count \(count) (or leave --shard-count out to use Discord's recommendation)."
        }
    }

    /// The process exit status: 2 for a setup the user must fix, 1 otherwise.
    public var exitStatus: Int32 {
        switch self {
        case .missingCommandsScope, .shardingRequired: 2
        case .noApplicationID, .rest, .metricsUnavailable: 1
        }
    }
}
