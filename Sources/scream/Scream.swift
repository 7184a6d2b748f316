import ArgumentParser

/// The root command: it only lists the subcommands.
struct Scream: AsyncParsableCommand {
    /// The version `scream --version` prints.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "scream",
        abstract: "Synthesize unique screams into audio files or a Discord voice channel.",
        discussion: """
            Examples:
              scream generate out.ogg                    Ogg Opus (the default)
              scream generate out.wav --preset banshee   WAV
              scream generate - --format wav | aplay     stream to stdout
              scream play --guild G --channel C          join, scream, leave
              scream play --guild G --dry-run            preview, no network
              scream bot                                 answer /scream in Discord
              scream generate out.ogg --image out.png    also draw a PNG
              scream preview out.ogg -o out.png          draw a PNG of a file
              scream presets                             list the presets

            Exit status: 0 success, 1 runtime failure, 2 invalid input or usage,
            129 hung up (SIGHUP), 130 interrupted (SIGINT), 131 quit (SIGQUIT),
            143 terminated (SIGTERM).
            """,
        version: "scream \(version)",
        subcommands: [GenerateCommand.self, PlayCommand.self, BotCommand.self, PreviewCommand.self, PresetsCommand.self])
}
