import DiscordVoice

/// One gateway event and the shard it came in on.
public struct ShardEvent: Sendable, Hashable {
    /// The shard's id.
    public var shard: Int
    /// The event.
    public var event: GatewayEvent
}

/// The gateway sessions of one bot process, one ``GatewayClient`` per shard of its ``ShardPlan``.
///
/// Every guild is served by the shard that owns it (`GatewayShard.owner(of:count:)`): its
/// voice joins and guild lookups go through ``gateway(for:)``. The shards share one
/// ``IdentifyQueue``, and their events merge into ``events``.
public final class Shards: Sendable {
    /// Which shards these are.
    public let plan: ShardPlan
    /// The clients by shard id.
    public let clients: [Int: GatewayClient]
    /// Every shard's events, each with its shard; ends when any shard's session ends for good
    /// or ``disconnect()`` is called.
    public let events: AsyncStream<ShardEvent>
    private let forwarding: Task<Void, Never>

    /// One client per shard of `plan`, each with `configuration` and its own shard, sharing one
    /// identify queue.
    public init(plan: ShardPlan, configuration: DiscordVoice.Configuration) throws(DiscordVoiceError) {
        self.plan = plan
        let queue = IdentifyQueue(maxConcurrency: plan.maxConcurrency, shards: Array(plan.ids))
        var clients: [Int: GatewayClient] = [:]
        for shard in plan.shards {
            var own = configuration
            own.shard = shard
            own.identifyQueue = queue
            clients[shard.id] = try GatewayClient(configuration: own)
        }
        self.clients = clients
        let (events, continuation) = AsyncStream<ShardEvent>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        self.events = events
        forwarding = Task { [clients] in
            await withTaskGroup(of: Void.self) { group in
                for (id, client) in clients {
                    group.addTask {
                        for await event in client.events { continuation.yield(ShardEvent(shard: id, event: event)) }
                    }
                }
                _ = await group.next()
                continuation.finish()
                group.cancelAll()
            }
        }
    }

    /// The client of the shard that owns `guild`; nil when another process runs that shard.
    public func gateway(for guild: Snowflake) -> GatewayClient? {
        clients[GatewayShard.owner(of: guild, count: plan.count)]
    }

    /// The client with the lowest shard id, which carries what every shard knows alike (the bot user).
    public var first: GatewayClient? {
        clients.keys.min().flatMap { clients[$0] }
    }

    /// Connects every shard, each in its IDENTIFY turn, and waits for all their READYs; when one
    /// fails, all are disconnected and its error is thrown.
    public func connect() async throws(DiscordVoiceError) {
        let failure = await withTaskGroup(of: DiscordVoiceError?.self) { group -> DiscordVoiceError? in
            for client in clients.values {
                group.addTask { () -> DiscordVoiceError? in
                    do throws(DiscordVoiceError) {
                        try await client.connect()
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            for await case let error? in group {
                group.cancelAll()
                return error
            }
            return nil
        }
        if let failure {
            await disconnect()
            throw failure
        }
    }

    /// Closes every shard's session.
    public func disconnect() async {
        await withTaskGroup(of: Void.self) { group in
            for client in clients.values {
                group.addTask { await client.disconnect() }
            }
        }
        forwarding.cancel()
    }

    /// Whether every shard's session is live (READY or RESUMED on its current socket): the
    /// answer for a health check.
    public func allReady() async -> Bool {
        for client in clients.values where !(await client.isReady) { return false }
        return true
    }

    /// Why a shard's session ended for good, the lowest such shard's, if one did.
    public func finalFailure() async -> (shard: Int, error: DiscordVoiceError)? {
        for id in clients.keys.sorted() {
            if let error = await clients[id]?.finalFailure { return (id, error) }
        }
        return nil
    }
}
