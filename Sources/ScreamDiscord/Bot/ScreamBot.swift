import DiscordREST
import DiscordVoice
import Logging
import ScreamCore
import ServiceLifecycle

/// `scream bot`: one gateway session per shard (``Shards``), one REST client, one
/// ``GuildScreamer`` per guild, driven by the guild's own shard.
///
/// Interactions are answered within Discord's 3 s: refused at once, ephemerally, with one
/// sentence, or accepted with a public reply that the guild's actor edits to the result.
public actor ScreamBot {
    private let settings: BotSettings
    private let shards: Shards
    private let rest: RESTClient
    private let responder: InteractionResponder
    private let logger: Logger
    /// The encoded screams every guild replays from; nil when the setting turns it off.
    private let packetCache: PacketCache?
    private var guilds: [Snowflake: GuildScreamer] = [:]
    private var paused: Set<Snowflake> = []
    private var stopping = false

    /// How long the screams in progress may take to end on SIGINT or SIGTERM.
    static let shutdownGrace: Duration = .milliseconds(500)

    private init(settings: BotSettings, shards: Shards, rest: RESTClient, packetCache: PacketCache?, logger: Logger) {
        self.settings = settings
        self.shards = shards
        self.rest = rest
        self.responder = InteractionResponder(rest: rest, logger: logger)
        self.logger = logger
        self.packetCache = packetCache
    }

    /// Reads `GET /gateway/bot`, checks the IDENTIFY budget for the shards it starts, connects
    /// them, registers `/scream` and answers it until SIGINT, SIGTERM, SIGHUP or SIGQUIT; then
    /// ends the screams in progress, edits their replies, closes the gateway sessions and
    /// returns. With `settings.metrics` it serves `/metrics` and `/healthz` meanwhile (see
    /// ``runServices(metrics:logger:)``). Screams of the same parameters replay from a
    /// ``PacketCache`` of `settings.packetCacheBytes`.
    public static func run(_ settings: BotSettings, version: String, logger: Logger) async throws {
        // The backend is in place before the first request, so `/metrics` counts every one.
        if settings.metrics != nil { _ = BotMetrics.registry }
        let rest = try DiscordAPI.client(token: settings.token, endpoints: settings.endpoints, version: version, logger: logger)
        do {
            let plan = try await shardPlan(settings, rest: rest, logger: logger)
            let configuration = DiscordVoice.Configuration(
                token: settings.token, gatewayURL: settings.endpoints.gatewayURL, caFile: settings.endpoints.caFile,
                timeout: settings.timeout, logger: logger)
            let shards: Shards
            do {
                shards = try Shards(plan: plan, configuration: configuration)
            } catch {
                throw PlayError.discord(error)
            }
            let bot = ScreamBot(
                settings: settings, shards: shards, rest: rest, packetCache: settings.makePacketCache(), logger: logger)
            do {
                try await bot.runServices(metrics: settings.metrics, logger: logger)
            } catch {
                await shards.disconnect()
                throw error
            }
        } catch {
            await rest.shutdown()
            throw error
        }
        await rest.shutdown()
    }

    /// The shards to start, from the settings and `GET /gateway/bot`; refused when fewer
    /// IDENTIFYs are left today than shards, or starting them would eat into the reserve.
    private static func shardPlan(_ settings: BotSettings, rest: RESTClient, logger: Logger) async throws -> ShardPlan {
        let gateway = try await IdentifyBudget.gatewayBot(with: rest, logger: logger)
        let plan = ShardPlan(settings.shards, gateway: gateway)
        if let limit = gateway?.sessionStartLimit,
            let refusal = IdentifyBudget(limit).refusal(starting: plan.ids.count, command: .bot)
        {
            throw refusal
        }
        logger.info("starting \(plan.description), \(plan.maxConcurrency) IDENTIFY at a time")
        return plan
    }

    /// Whether the bot answers interactions: every shard's session is READY and it is not stopping.
    func isReady() async -> Bool {
        guard !stopping else { return false }
        return await shards.allReady()
    }

    func serve() async throws {
        guard try await connect() else {
            logger.info("bot stopped before every shard had connected")
            return
        }
        guard let applicationID = await shards.first?.applicationID else { throw BotError.noApplicationID }
        if settings.register {
            try await responder.register(
                applicationID: applicationID, guild: settings.registrationGuild, maxDuration: settings.maxDuration)
        }
        logger.info("answering /scream as application \(applicationID)")
        let events = shards.events
        let failures = responder.failures
        let ending = await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                for await event in events {
                    await self.handle(event)
                }
                return .gatewayLost
            }
            group.addTask {
                try? await gracefulShutdown()
                return .signal
            }
            group.addTask {
                for await sentence in failures { return .rest(sentence) }
                return .signal
            }
            let first = await group.next() ?? .signal
            group.cancelAll()
            return first
        }
        switch ending {
        case .signal:
            await shutDown(reason: "Stopped: the bot is shutting down.")
        case .gatewayLost:
            await shutDown(reason: "Stopped: the bot lost its connection to Discord.")
            throw await failure(await shards.finalFailure()?.error ?? .notConnected)
        case .rest(let sentence):
            await shutDown(reason: "Stopped: the bot had to stop.")
            throw BotError.rest(sentence)
        }
    }

    /// Connects every shard; false when a signal came first (starting many shards can take
    /// minutes of IDENTIFY turns), which closes them all.
    private func connect() async throws -> Bool {
        let shards = self.shards
        do {
            try await withGracefulShutdownHandler {
                try await shards.connect()
            } onGracefulShutdown: {
                Task { await shards.disconnect() }
            }
        } catch {
            if Task.isShuttingDownGracefully { return false }
            throw await failure(error)
        }
        return !Task.isShuttingDownGracefully
    }

    /// The error a shard's failure ends the bot with: a 4011 close names the shard count to
    /// use, Discord's current recommendation and at least one more than now.
    private func failure(_ error: any Error) async -> any Error {
        guard let error = error as? DiscordVoiceError else { return error }
        guard case .gatewayClosed(.shardingRequired, _) = error else { return PlayError.discord(error) }
        let recommended = (try? await rest.gatewayBot().shards) ?? 0
        return BotError.shardingRequired(count: max(recommended, shards.plan.count + 1))
    }

    /// What ended ``serve()``.
    private enum Ending: Sendable {
        /// SIGINT, SIGTERM, SIGHUP or SIGQUIT: a clean stop.
        case signal
        /// The gateway session ended for good.
        case gatewayLost
        /// The REST client refuses to go on (too many invalid requests).
        case rest(String)
    }

    private func handle(_ shardEvent: ShardEvent) async {
        switch shardEvent.event {
        case .interaction(let json):
            guard let interaction = Interaction(json: json) else { return }
            await answer(interaction)
        case .guildUnavailable(let id):
            paused.insert(id)
        case .guildAvailable(let id):
            paused.remove(id)
            await leaveLeftoverVoiceChannel(in: id)
        case .guildRemoved(let id):
            paused.remove(id)
            if let screamer = guilds.removeValue(forKey: id) {
                await screamer.stop(reason: "Stopped: the bot was removed from this server.")
            }
        case .sessionReplaced:
            let count = shards.plan.count
            let lost = guilds.filter { GatewayShard.owner(of: $0.key, count: count) == shardEvent.shard }
            for id in lost.keys { guilds.removeValue(forKey: id) }
            for screamer in lost.values {
                await screamer.stop(reason: "Stopped: the bot lost its Discord session and had to start a new one.")
            }
        case .resumed:
            break
        }
    }

    /// Leaves a voice channel that GUILD_CREATE shows the bot in while it is not screaming
    /// there: state left over from a process that crashed.
    private func leaveLeftoverVoiceChannel(in guildID: Snowflake) async {
        guard guilds[guildID] == nil, let gateway = shards.gateway(for: guildID), let bot = await gateway.user?.id,
            let guild = try? await gateway.guild(guildID),
            let channel = guild.voiceStates[bot]?.channelID
        else { return }
        logger.info("leaving voice channel \(channel) in guild \(guildID), left over from an earlier run")
        await gateway.leaveVoice(guild: guildID)
    }

    /// Refuses or accepts one interaction, replying at once.
    private func answer(_ interaction: Interaction) async {
        guard interaction.isScreamCommand else { return }
        switch await accept(interaction) {
        case .success(let (job, place)):
            BotMetrics.recordAccepted()
            let text = place == 0
                ? "Screaming in <#\(job.channel)>…"
                : "Queued for <#\(job.channel)>: number \(place) in line."
            responder.acknowledge(interaction, with: text)
        case .failure(let refusal):
            BotMetrics.recordRefused(refusal)
            logger.info("refused /scream in guild \(interaction.guildID.map(String.init(describing:)) ?? "none"): \(refusal)")
            responder.refuse(interaction, with: refusal.description)
        }
    }

    private func accept(_ interaction: Interaction) async -> Result<(GuildScreamer.Job, GuildScreamer.Place), Refusal> {
        guard !stopping else { return .failure(.shuttingDown) }
        guard let guildID = interaction.guildID, let userID = interaction.userID else { return .failure(.notInGuild) }
        guard !paused.contains(guildID), let gateway = shards.gateway(for: guildID),
            let guild = try? await gateway.guild(guildID)
        else {
            return .failure(.guildUnavailable)
        }
        let order: ScreamOrder
        do {
            order = try ScreamOrder(options: interaction.options, maxDuration: settings.maxDuration)
        } catch {
            return .failure(error)
        }
        let channelID: Snowflake
        switch VoiceChannelCheck.channel(for: userID, in: guild, bot: await gateway.user?.id) {
        case .success(let id): channelID = id
        case .failure(let refusal): return .failure(refusal)
        }
        let recipe: ScreamRecipe
        do {
            recipe = try order.recipe(defaultPreset: settings.defaultPreset, maxDuration: settings.maxDuration).forDiscord
        } catch {
            return .failure(.badOption("preset", expected: GuildScreamer.sentence(for: error)))
        }
        let job = GuildScreamer.Job(interaction: interaction, channel: channelID, order: order, recipe: recipe)
        return await screamer(for: guildID, gateway: gateway).submit(job).map { (job, $0) }
    }

    private func screamer(for guildID: Snowflake, gateway: GatewayClient) -> GuildScreamer {
        if let screamer = guilds[guildID] { return screamer }
        let screamer = GuildScreamer(
            guildID: guildID, gateway: gateway, rest: rest, responder: responder, settings: settings, cache: packetCache,
            logger: logger)
        guilds[guildID] = screamer
        return screamer
    }

    /// Stops taking interactions, ends every scream within ``shutdownGrace``, edits the
    /// replies and closes every shard's gateway session with 1000.
    private func shutDown(reason: String) async {
        stopping = true
        let screamers = Array(guilds.values)
        guilds.removeAll()
        await withTaskGroup(of: Void.self) { group in
            for screamer in screamers {
                group.addTask { await screamer.stop(reason: reason) }
            }
        }
        await shards.disconnect()
        logger.info("bot stopped")
    }
}
