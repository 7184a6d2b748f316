import DiscordREST
import DiscordVoice
import Logging
import ScreamCore

/// One guild's screams: a cooldown per user, a FIFO queue, and the voice connection.
///
/// Screams in one guild play one after another; screams in different guilds play at the
/// same time, each on its own actor. Consecutive screams in the same channel share one
/// voice connection; the bot leaves once the queue is empty.
actor GuildScreamer {
    /// A scream that was accepted: who asked, where it plays, and what it is.
    struct Job: Sendable {
        var interaction: Interaction
        var channel: Snowflake
        var order: ScreamOrder
        var recipe: ScreamRecipe
    }

    /// Where a new scream stands once accepted: 0 plays now, N waits behind N others.
    typealias Place = Int

    let guildID: Snowflake
    private let gateway: GatewayClient
    private let rest: RESTClient
    private let responder: InteractionResponder
    private let settings: BotSettings
    private let cache: PacketCache?
    private let logger: Logger
    private var cooldowns: Cooldowns
    private var waiting: [Job] = []
    private var playing: Job?
    private var worker: Task<Void, Never>?
    private var voice: VoiceConnection? {
        didSet { if (oldValue == nil) != (voice == nil) { BotMetrics.recordVoiceSession(open: voice != nil) } }
    }
    /// Why the current and waiting screams were stopped, once they were.
    private var stopReason: String?

    init(
        guildID: Snowflake, gateway: GatewayClient, rest: RESTClient, responder: InteractionResponder,
        settings: BotSettings, cache: PacketCache?, logger: Logger
    ) {
        self.guildID = guildID
        self.gateway = gateway
        self.rest = rest
        self.responder = responder
        self.settings = settings
        self.cache = cache
        self.logger = logger
        self.cooldowns = Cooldowns(cooldown: settings.cooldown)
    }

    /// Takes a scream into the queue, or refuses it for the user's cooldown or a full queue.
    func submit(_ job: Job, at now: ContinuousClock.Instant = .now) -> Result<Place, Refusal> {
        guard stopReason == nil else { return .failure(.shuttingDown) }
        if let user = job.interaction.userID, let left = cooldowns.remaining(for: user, at: now) {
            return .failure(.coolingDown(secondsLeft: Cooldowns.wholeSeconds(left)))
        }
        let busy = playing != nil || worker != nil
        if busy, waiting.count >= settings.queue {
            return .failure(.queueFull(limit: settings.queue))
        }
        if let user = job.interaction.userID { cooldowns.record(user, at: now) }
        waiting.append(job)
        if worker == nil {
            worker = Task { await self.work() }
        }
        return .success(busy ? waiting.count : 0)
    }

    /// Ends the playing scream (silence, then leave) and drops the waiting ones, editing
    /// each response to `reason`; returns once the bot has left the channel.
    func stop(reason: String) async {
        stopReason = stopReason ?? reason
        let dropped = waiting
        waiting.removeAll()
        worker?.cancel()
        for job in dropped {
            await responder.finish(job.interaction, with: reason)
        }
        await worker?.value
    }

    /// Plays the queue until it is empty, then leaves.
    ///
    /// A scream accepted while the bot was leaving is played after the leave, on a new join:
    /// the queue is checked again after every suspension before the worker ends.
    private func work() async {
        repeat {
            while !waiting.isEmpty, !Task.isCancelled {
                let job = waiting.removeFirst()
                playing = job
                let outcome = await play(job)
                playing = nil
                // The edit must go out even when the scream was cancelled, so it runs on a task of its own.
                let responder = self.responder
                await Task { await responder.finish(job.interaction, with: outcome) }.value
            }
            if let voice {
                self.voice = nil
                await voice.leave()
            }
        } while !waiting.isEmpty && !Task.isCancelled
        worker = nil
    }

    /// Plays one scream and returns the sentence its response ends with.
    private func play(_ job: Job) async -> String {
        do {
            let report = try await VoiceScream.play(
                job.recipe, bitrate: settings.bitrate, backend: settings.backend, logger: logger,
                leaving: false, cache: cache, connect: { try await connection(to: job.channel) })
            logger.info(
                "guild \(guildID): sent \(report.framesSent) frames, lateness p50 \(Self.milliseconds(report.lateness.percentile(0.5))) ms, p99 \(Self.milliseconds(report.lateness.percentile(0.99))) ms, max \(Self.milliseconds(report.lateness.maximum)) ms, \(report.skippedSlots) slots skipped")
            BotMetrics.recordScream(report.cancelled ? .stopped : .played, report: report)
            if report.cancelled { return stopReason ?? "Stopped before the end." }
            return Self.success(job)
        } catch {
            BotMetrics.recordScream(stopReason == nil ? .failed : .stopped, report: nil)
            if let stopReason { return stopReason }
            logger.warning("guild \(guildID): scream failed: \(error)")
            return "Couldn't scream: \(Self.sentence(for: error))"
        }
    }

    /// The connection to `channel`: the current one if it is there, else a new join.
    private func connection(to channel: Snowflake) async throws -> VoiceConnection {
        if let voice, await voice.channelID == channel, await voice.isUsable {
            return voice
        }
        if let voice {
            self.voice = nil
            await voice.leave()
        }
        let joined = try await VoiceJoin.join(guild: guildID, channel: channel, gateway: gateway, rest: rest, logger: logger)
        voice = joined
        return joined
    }

    /// `screamed banshee for 4.0 s — /scream preset:banshee replays it`.
    static func success(_ job: Job) -> String {
        let what: String
        switch job.recipe.origin {
        case .preset(let preset): what = preset.rawValue
        case .random(let seed): what = "seed \(seed)"
        case .parameterFile(let path): what = path
        }
        let tenths = Int((job.recipe.params.duration * 10).rounded())
        return "screamed \(what) for \(tenths / 10).\(tenths % 10) s — \(job.order.replay(of: job.recipe)) replays it"
    }

    /// A duration in milliseconds to the microsecond, for log lines.
    static func milliseconds(_ duration: Duration) -> String {
        let microseconds = Int64(duration / .microseconds(1))
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// The one sentence for a failed scream.
    static func sentence(for error: Error) -> String {
        switch error {
        case let error as DiscordVoiceError: error.description
        case let error as PlayError: error.description
        case let error as ParamsError: error.description
        default: "\(error)"
        }
    }
}
