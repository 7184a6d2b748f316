import ArgumentParser
import DiscordVoice
import Foundation
import ScreamCore
import ScreamDiscord

/// `scream bot`: a long-running bot that screams in the caller's voice channel on `/scream`.
struct BotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Run a Discord bot that screams in your voice channel when you type /scream.",
        discussion: """
            The bot registers /scream (globally, or with --guild in one guild, which is
            instant) and answers it in every guild it is in: it joins the caller's voice
            channel, screams and leaves. /scream takes the options preset, duration, seed
            and volume. Screams in one guild queue; guilds scream at the same time.

            SIGINT or SIGTERM ends the screams in progress, edits their replies and exits
            0. 'scream help bot run' lists the options; 'scream bot invite-url' prints
            the URL that adds the bot to a server.

            Examples:
              scream bot
              scream bot --guild 1234 --cooldown 30s --queue 5
              scream bot invite-url
            """,
        subcommands: [BotRunCommand.self, InviteURLCommand.self],
        defaultSubcommand: BotRunCommand.self)
}

/// `scream bot run`, the default: connect, register `/scream`, answer it until signalled.
struct BotRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Connect, register /scream and answer it until stopped.")

    @Option(help: ArgumentHelp("Discord bot token (default: DISCORD_TOKEN or the config file).", valueName: "token"))
    var token: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Register /scream in this guild only, instead of globally.", valueName: "id"))
    var guild: String?

    @Flag(help: "Do not register /scream; use the commands already registered.")
    var noRegister = false

    @Option(parsing: .unconditional, help: ArgumentHelp("How long one user waits between screams (default: 10s).", valueName: "duration"))
    var cooldown: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("How many screams may wait in one guild (default: 3).", valueName: "n"))
    var queue: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The longest scream /scream may ask for (default: 30s).", valueName: "duration"))
    var maxDuration: String?

    @Option(help: ArgumentHelp("The preset /scream plays without one; without it the scream is random.", valueName: "name"))
    var preset: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Opus bitrate, such as 64000 or 64k (default: 64k).", valueName: "bits"))
    var bitrate: String?

    @Option(help: ArgumentHelp("Synthesizer: native or ffmpeg (default: native).", valueName: "backend"))
    var backend: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("How long connecting may take, such as 30s (default: 30s).", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp(
        "Serve /metrics and /healthz at this address, such as 127.0.0.1:9464 (default: off).", valueName: "host:port"))
    var metrics: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The shards this process runs, such as 0-7 or 3 (default: all).", valueName: "ids"))
    var shards: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("How many shards across every process (default: Discord's recommendation).", valueName: "n"))
    var shardCount: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Megabytes of encoded screams kept to replay them; 0 turns it off (default: 64).", valueName: "MB"))
    var packetCache: String?

    @OptionGroup(title: "Configuration") var common: CommonOptions

    func run() async throws {
        var flags: [SettingKey: String] = [:]
        flags[.token] = token
        flags[.guildID] = guild
        flags[.cooldown] = cooldown
        flags[.queue] = queue
        flags[.maxDuration] = maxDuration
        flags[.preset] = preset
        flags[.bitrate] = bitrate
        flags[.backend] = backend
        flags[.timeout] = timeout
        flags[.metrics] = metrics
        flags[.shards] = shards
        flags[.shardCount] = shardCount
        flags[.packetCache] = packetCache
        let environment = ProcessInfo.processInfo.environment
        let settings = try SettingsLoader.load(
            flags: flags.merging(common.flags) { own, _ in own }, configFile: common.config, environment: environment)
        let logger = Invocation.startLogging(at: settings.effectiveLogLevel)
        logger.debug("settings: \(settings.redactedSummary)")
        let botSettings = try BotSettings(settings: settings, register: !noRegister, environment: environment)
        // The bot stops on these signals through its service group; the trap only ends a
        // process that has not stopped within the grace: the screams' own 0.5 s, the replies'
        // edits, the gateway's close and the metrics server's, on a machine that may be busy.
        let trap = SignalTrap(grace: SignalTrap.disconnectingGracePeriod)
        trap.install()
        try await ScreamBot.run(botSettings, version: Scream.version, logger: logger)
        withExtendedLifetime(trap) {}
    }
}

/// `scream bot invite-url`: the OAuth2 URL that adds the bot to a server.
struct InviteURLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite-url",
        abstract: "Print the URL that adds the bot to a server, with the scopes and permissions it needs.",
        discussion: """
            The URL asks for the scopes bot and applications.commands and the permissions
            View Channel, Connect and Speak. The application id is read from the token
            unless --application-id gives it.
            """)

    @Option(help: ArgumentHelp("Discord bot token (default: DISCORD_TOKEN or the config file).", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("The application id, instead of reading it from the token.", valueName: "id"))
    var applicationID: String?

    @OptionGroup(title: "Configuration") var common: CommonOptions

    func run() throws {
        if let applicationID {
            guard let id = UInt64(applicationID), id > 0 else { throw UsageError.invalidApplicationID(applicationID) }
            print(ScreamCommand.inviteURL(applicationID: Snowflake(id)))
            return
        }
        var flags: [SettingKey: String] = [:]
        flags[.token] = token
        let settings = try SettingsLoader.load(
            flags: flags.merging(common.flags) { own, _ in own }, configFile: common.config,
            environment: ProcessInfo.processInfo.environment)
        guard let token = settings.token else { throw PlayError.missingToken }
        guard let id = ScreamCommand.applicationID(fromToken: token) else {
            throw UsageError.tokenWithoutApplicationID
        }
        print(ScreamCommand.inviteURL(applicationID: id))
    }
}
