import ArgumentParser
import Foundation
import ScreamCore
import ScreamDiscord

/// `scream play`: join a Discord voice channel, scream, leave; or preview with `--dry-run`.
struct PlayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a scream into a Discord voice channel as a bot.",
        discussion: """
            The bot joins the channel (without --channel, the voice channel with the most
            people), screams and leaves. The token comes from --token, DISCORD_TOKEN or the
            config file; the bot needs View Channel, Connect and Speak in the channel.
            Ctrl-C or SIGTERM stops the scream and leaves the channel before exiting (130,
            143). --dry-run needs neither token nor network: it renders and encodes
            exactly the Opus packets that would be sent and prints a one-line summary.

            Examples:
              scream play --guild 1234 --channel 5678
              scream play 1234 5678 --preset banshee
              scream play --guild 1234 --dry-run
              scream play --guild 1234 --dry-run --seed 7 --output preview.ogg
              scream play --guild 1234 --dry-run --image preview.png
            """)

    @Argument(help: ArgumentHelp("Guild (server) id, instead of --guild.", valueName: "guild"))
    var guildArgument: String?

    @Argument(help: ArgumentHelp("Voice channel id, instead of --channel.", valueName: "channel"))
    var channelArgument: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Guild (server) id.", valueName: "id"))
    var guild: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Voice channel id (default: the busiest voice channel).", valueName: "id"))
    var channel: String?

    @Option(help: ArgumentHelp("Discord bot token (default: DISCORD_TOKEN or the config file).", valueName: "token"))
    var token: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("How long connecting may take, such as 30s (default: 30s).", valueName: "duration"))
    var timeout: String?

    @Flag(help: "Render and encode without a token or network, and print a summary.")
    var dryRun = false

    @Option(name: .shortAndLong, help: ArgumentHelp("With --dry-run, also save the preview as Ogg Opus.", valueName: "file"))
    var output: String?

    @OptionGroup(title: "Scream options") var audio: AudioOptions
    @OptionGroup(title: "Image options") var imageOptions: ImageOptions
    @OptionGroup(title: "Configuration") var common: CommonOptions

    func run() async throws {
        if output != nil, !dryRun {
            throw UsageError.outputWithoutDryRun
        }
        if imageOptions.image != nil, !dryRun {
            throw UsageError.imageWithoutDryRun
        }
        let image = try imageOptions.request()
        if output == "-" {
            throw UsageError.previewToStandardOutput
        }
        if let output, let named = AudioFormat(path: output), named != .ogg {
            throw UsageError.previewIsOgg(path: output)
        }
        var flags: [SettingKey: String] = [:]
        flags[.guildID] = try UsageError.single(argument: guildArgument, option: guild, names: ("GUILD", "--guild"))
        flags[.channelID] = try UsageError.single(argument: channelArgument, option: channel, names: ("CHANNEL", "--channel"))
        flags[.token] = token
        flags[.timeout] = timeout
        var flagNames: [SettingKey: String] = [:]
        flagNames[.guildID] = guildArgument.map { _ in "argument GUILD" }
        flagNames[.channelID] = channelArgument.map { _ in "argument CHANNEL" }
        let invocation = try Invocation(
            flags: flags, flagNames: flagNames, audio: audio, common: common, grace: SignalTrap.disconnectingGracePeriod)
        if audio.printParams {
            invocation.printParams()
            return
        }
        let settings = invocation.settings
        if dryRun {
            let summary = try DryRun.run(
                recipe: invocation.recipe, bitrate: settings.bitrate, backend: settings.backend, preview: output, image: image,
                trap: invocation.trap, progress: invocation.progress, logger: invocation.logger,
                beforeRendering: invocation.announceSeed)
            print(summary)
            return
        }
        let request = try PlayRequest(recipe: invocation.recipe, settings: settings, environment: ProcessInfo.processInfo.environment)
        let announce = invocation.announceSeed
        try await LivePlay.run(
            request, version: Scream.version, trap: invocation.trap, logger: invocation.logger, beforePlaying: announce)
    }
}
