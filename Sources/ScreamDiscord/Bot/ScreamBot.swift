import DiscordREST
import DiscordVoice
import Logging
import ScreamCore

/// `scream bot`: one gateway session, one REST client, one ``GuildScreamer`` per guild.
///
/// Interactions are answered within Discord's 3 s: refused at once, ephemerally, with one
/// sentence, or accepted with a public reply that the guild's actor edits to the result.
public actor ScreamBot {
    private let settings: BotSettings
    private let gateway: GatewayClient
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

    private init(settings: BotSettings, gateway: GatewayClient, rest: RESTClient, packetCache: PacketCache?, logger: Logger) {
        self.settings = settings
        self.gateway = gateway
        self.rest = rest
        self.responder = InteractionResponder(rest: rest, logger: logger)
        self.logger = logger
        self.packetCache = packetCache
    }

    /// Checks the IDENTIFY budget, connects, registers `/scream` and answers it until `trap`
    /// catches a signal; then ends the screams in progress, edits their replies, closes the
    /// gateway and returns. Screams replay from `packetCache` (see ``BotSettings/makePacketCache()``),
    /// whose statistics the caller may read meanwhile.
    public static func run(
        _ settings: BotSettings, version: String, trap: SignalTrap, packetCache: PacketCache?, logger: Logger
    ) async throws {
        let configuration = DiscordVoice.Configuration(
            token: settings.token, gatewayURL: settings.endpoints.gatewayURL, caFile: settings.endpoints.caFile,
            timeout: settings.timeout, logger: logger)
        let gateway: GatewayClient
        do {
            gateway = try GatewayClient(configuration: configuration)
        } catch {
            throw PlayError.discord(error)
        }
        let rest = try DiscordAPI.client(token: settings.token, endpoints: settings.endpoints, version: version, logger: logger)
        let bot = ScreamBot(settings: settings, gateway: gateway, rest: rest, packetCache: packetCache, logger: logger)
        do {
            try await bot.serve(trap: trap)
        } catch {
            await gateway.disconnect()
            await rest.shutdown()
            throw error
        }
        await rest.shutdown()
    }

    private func serve(trap: SignalTrap) async throws {
        try await IdentifyBudget.check(with: rest, command: .bot, logger: logger)
        do {
            try await gateway.connect()
        } catch {
            throw PlayError.discord(error)
        }
        guard let applicationID = await gateway.applicationID else { throw BotError.noApplicationID }
        if settings.register {
            try await responder.register(
                applicationID: applicationID, guild: settings.registrationGuild, maxDuration: settings.maxDuration)
        }
        logger.info("answering /scream as application \(applicationID)")
        let events = gateway.events
        let failures = responder.failures
        let ending = await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                for await event in events {
                    await self.handle(event)
                }
                return .gatewayLost
            }
            group.addTask {
                _ = await trap.waitForSignal(polling: .milliseconds(50))
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
            throw PlayError.discord(await gateway.finalFailure ?? .notConnected)
        case .rest(let sentence):
            await shutDown(reason: "Stopped: the bot had to stop.")
            throw BotError.rest(sentence)
        }
    }

    /// What ended ``serve(trap:)``.
    private enum Ending: Sendable {
        /// SIGINT, SIGTERM, SIGHUP or SIGQUIT: a clean stop.
        case signal
        /// The gateway session ended for good.
        case gatewayLost
        /// The REST client refuses to go on (too many invalid requests).
        case rest(String)
    }

    private func handle(_ event: GatewayEvent) async {
        switch event {
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
            let screamers = guilds
            guilds.removeAll()
            for screamer in screamers.values {
                await screamer.stop(reason: "Stopped: the bot lost its Discord session and had to start a new one.")
            }
        case .resumed:
            break
        }
    }

    /// Leaves a voice channel that GUILD_CREATE shows the bot in while it is not screaming
    /// there: state left over from a process that crashed.
    private func leaveLeftoverVoiceChannel(in guildID: Snowflake) async {
        guard guilds[guildID] == nil, let bot = await gateway.user?.id, let guild = try? await gateway.guild(guildID),
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
            let text = place == 0
                ? "Screaming in <#\(job.channel)>…"
                : "Queued for <#\(job.channel)>: number \(place) in line."
            responder.acknowledge(interaction, with: text)
        case .failure(let refusal):
            logger.info("refused /scream in guild \(interaction.guildID.map(String.init(describing:)) ?? "none"): \(refusal)")
            responder.refuse(interaction, with: refusal.description)
        }
    }

    private func accept(_ interaction: Interaction) async -> Result<(GuildScreamer.Job, GuildScreamer.Place), Refusal> {
        guard !stopping else { return .failure(.shuttingDown) }
        guard let guildID = interaction.guildID, let userID = interaction.userID else { return .failure(.notInGuild) }
        guard !paused.contains(guildID), let guild = try? await gateway.guild(guildID) else {
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
        return await screamer(for: guildID).submit(job).map { (job, $0) }
    }

    private func screamer(for guildID: Snowflake) -> GuildScreamer {
        if let screamer = guilds[guildID] { return screamer }
        let screamer = GuildScreamer(
            guildID: guildID, gateway: gateway, rest: rest, responder: responder, settings: settings, cache: packetCache,
            logger: logger)
        guilds[guildID] = screamer
        return screamer
    }

    /// Stops taking interactions, ends every scream within ``shutdownGrace``, edits the
    /// replies and closes the gateway with 1000.
    private func shutDown(reason: String) async {
        stopping = true
        let screamers = Array(guilds.values)
        guilds.removeAll()
        await withTaskGroup(of: Void.self) { group in
            for screamer in screamers {
                group.addTask { await screamer.stop(reason: reason) }
            }
        }
        await gateway.disconnect()
        logger.info("bot stopped")
    }
}
