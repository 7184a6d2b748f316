import DiscordVoice
import Logging
import ScreamCore
import Synchronization

/// One `scream play` request for a real Discord voice channel.
public struct PlayRequest: Sendable {
    /// The scream to play, as 48 kHz stereo (see ``ScreamRecipe/forDiscord``).
    public var recipe: ScreamRecipe
    /// The guild (server) to join.
    public var guildID: UInt64
    /// The voice channel; `nil` picks the busiest one.
    public var channelID: UInt64?
    /// The bot token without any `Bot ` prefix; never logged.
    public var token: String
    /// Opus bitrate in bits per second.
    public var bitrate: Int
    /// How long each connect step may take, in seconds.
    public var timeout: Double
    /// The synthesizer.
    public var backend: Backend
    /// Where the gateway and the HTTP API are, and which extra CAs to trust.
    public var endpoints: DiscordEndpoints

    /// Builds a request from resolved settings and the environment; a missing guild or token is an error.
    ///
    /// The recipe is played as 48 kHz stereo whatever its parameters say, since that is the
    /// only format Discord voice carries. A token pasted with the `Bot ` prefix of Discord's
    /// HTTP API is accepted; the gateway wants it bare.
    public init(recipe: ScreamRecipe, settings: Settings, environment: [String: String]) throws {
        guard let guildID = settings.guildID else { throw PlayError.missingGuild }
        guard let token = settings.token else { throw PlayError.missingToken }
        self.recipe = recipe.forDiscord
        self.guildID = guildID
        self.channelID = settings.channelID
        self.token = try Self.bareToken(token)
        self.bitrate = settings.bitrate
        self.timeout = settings.timeout
        self.backend = settings.backend
        self.endpoints = try DiscordEndpoints(environment: environment)
    }

    /// The token without a `Bot ` prefix, refused when it cannot be a bot token: empty, only
    /// the prefix, or holding spaces or control characters (a paste gone wrong).
    static func bareToken(_ token: String) throws(PlayError) -> String {
        let bare = token.hasPrefix("Bot ") ? String(token.dropFirst(4)) : token
        guard !bare.isEmpty, bare != "Bot" else { throw PlayError.invalidToken(reason: "it holds only the Bot prefix") }
        guard !bare.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7f })
        else { throw PlayError.invalidToken(reason: "it contains a space or a line break") }
        return bare
    }
}

/// Plays a scream into a Discord voice channel: check the IDENTIFY budget, connect, join,
/// stream, leave.
///
/// Packets are encoded as the sender asks for them, a few frames ahead of the 20 ms
/// schedule, so nothing waits for the whole scream to render. A trapped signal stops the
/// audio, sends the closing silence, turns speaking off and leaves the channel before
/// ``PlayError/interrupted(signal:joined:)`` is thrown.
public enum LivePlay {
    /// How often the signal trap is checked while playing.
    static let signalPollInterval: Duration = .milliseconds(10)

    /// Joins, plays and leaves; `beforePlaying` runs once the bot is in the channel, and
    /// `version` goes into the User-Agent of the REST requests.
    ///
    /// Before the gateway is opened, `GET /gateway/bot` reads the daily IDENTIFY budget, and
    /// ``PlayError/identifiesRunningLow(_:command:)`` stops the play when it is down to its reserve.
    /// Returns what the sender did: frames sent, skipped slots and lateness.
    @discardableResult
    public static func run(
        _ request: PlayRequest, version: String, trap: SignalTrap, logger: Logger,
        beforePlaying: @escaping @Sendable () -> Void = {}
    ) async throws -> PlaybackReport {
        logger.info(
            "play: guild \(request.guildID), channel \(request.channelID.map(String.init) ?? "auto"), \(request.recipe.origin)")
        let joined = JoinedFlag()
        let interrupted = { (signal: Int32) in PlayError.interrupted(signal: signal, joined: joined.value) }
        do {
            let outcome = try await withThrowingTaskGroup(of: PlaybackReport?.self) { group in
                group.addTask {
                    try await session(request, version: version, logger: logger) {
                        joined.set()
                        beforePlaying()
                    }
                }
                group.addTask {
                    _ = await trap.waitForSignal(polling: signalPollInterval)
                    return nil
                }
                var report: PlaybackReport?
                for try await finished in group {
                    report = report ?? finished
                    group.cancelAll()
                }
                return report
            }
            if let signal = trap.signal { throw interrupted(signal) }
            guard let report = outcome else { throw DiscordVoiceError.cancelled }
            return report
        } catch let error as DiscordVoiceError {
            if let signal = trap.signal { throw interrupted(signal) }
            throw PlayError.discord(error)
        } catch {
            if let signal = trap.signal { throw interrupted(signal) }
            throw error
        }
    }

    private static func session(
        _ request: PlayRequest, version: String, logger: Logger, beforePlaying: @escaping @Sendable () -> Void
    ) async throws -> PlaybackReport {
        let timeout = Duration.milliseconds(Int64((request.timeout * 1000).rounded()))
        let configuration = DiscordVoice.Configuration(
            token: request.token, gatewayURL: request.endpoints.gatewayURL, caFile: request.endpoints.caFile,
            timeout: timeout, logger: logger)
        let gateway = try GatewayClient(configuration: configuration)
        let rest = try DiscordAPI.client(
            token: request.token, endpoints: request.endpoints, version: version, oneShotTimeout: timeout, logger: logger)
        var apiOpen = true
        do {
            try await IdentifyBudget.check(with: rest, command: .play, logger: logger)
            try await gateway.connect()
            let guild = Snowflake(request.guildID)
            let channel: Snowflake
            if let channelID = request.channelID {
                channel = Snowflake(channelID)
            } else {
                channel = try await gateway.busiestVoiceChannel(in: guild)
                logger.info("picked voice channel \(channel), the busiest in guild \(guild)")
            }
            // Only a stage needs the API again; otherwise its connection closes now rather than on the way out.
            if try await gateway.guild(guild).channels[channel]?.isStage != true {
                apiOpen = false
                await rest.shutdown()
            }
            let report = try await VoiceScream.play(
                request.recipe, bitrate: request.bitrate, backend: request.backend, logger: logger,
                connect: { try await VoiceJoin.join(guild: guild, channel: channel, gateway: gateway, rest: rest, logger: logger) },
                beforePlaying: beforePlaying)
            await gateway.disconnect()
            if apiOpen { await rest.shutdown() }
            if report.skippedSlots > 0 {
                logger.info("the sender fell behind and skipped \(report.skippedSlots) 20 ms slots")
            }
            return report
        } catch {
            await gateway.disconnect()
            if apiOpen { await rest.shutdown() }
            throw error
        }
    }
}

/// Whether the bot got into the voice channel, set from the session task and read after it.
private final class JoinedFlag: Sendable {
    private let joined = Mutex(false)

    /// Records that the bot joined.
    func set() { joined.withLock { $0 = true } }

    /// Whether ``set()`` was called.
    var value: Bool { joined.withLock { $0 } }
}
