import ArgumentParser
import Foundation
import ScreamCore

/// `scream generate`: render a scream to a file or standard output.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Render a scream to an Ogg Opus or WAV file, or to standard output.",
        discussion: """
            Without --preset or --params the scream is random and its seed is printed to
            standard error as 'seed: N'; --seed N renders the same scream again. The file
            is written under a temporary name and renamed when complete, so a failed or
            interrupted run never leaves a partial file.

            Examples:
              scream generate                              writes scream.ogg
              scream generate out.wav --preset banshee
              scream generate out.ogg --duration 1m30s --volume 0.5
              scream generate - --format wav | aplay       stream to standard output
              scream generate --seed 42 --print-params > mine.yaml
              scream generate again.ogg --params mine.yaml
              scream generate out.ogg --image out.png      also draw the scream
              scream generate --backend ffmpeg --preset robot --print-command
            """)

    @Argument(help: ArgumentHelp("Output file; - writes to standard output (default: scream.ogg).", valueName: "output"))
    var outputArgument: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Output file, as an option.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("ogg or wav (default: from the file extension, else ogg).", valueName: "format"))
    var format: String?

    @Flag(help: "With --backend ffmpeg: print the ffmpeg command line that renders the scream, and exit.")
    var printCommand = false

    @OptionGroup(title: "Scream options") var audio: AudioOptions
    @OptionGroup(title: "Image options") var imageOptions: ImageOptions
    @OptionGroup(title: "Configuration") var common: CommonOptions

    func run() async throws {
        let path = try UsageError.single(argument: outputArgument, option: output, names: ("OUTPUT", "--output"))
        let image = try imageOptions.request()
        var flags: [SettingKey: String] = [:]
        flags[.format] = format
        let invocation = try Invocation(flags: flags, audio: audio, common: common)
        if audio.printParams {
            invocation.printParams()
            return
        }
        let settings = invocation.settings
        if printCommand {
            guard settings.backend == .ffmpeg else { throw UsageError.printCommandNeedsFFmpeg }
            let executable = try FFmpegGenerator.locateExecutable(environment: ProcessInfo.processInfo.environment)
            invocation.announceSeed()
            print(FFmpegCommand(params: invocation.recipe.params).commandLine(executable: executable))
            return
        }
        let (destination, resolvedFormat) = try Destination.resolve(
            path: path, explicitFormat: format == nil ? nil : settings.format,
            fallbackFormat: format == nil ? settings.format : nil)
        let job = GenerateJob(
            recipe: invocation.recipe, format: resolvedFormat, destination: destination,
            bitrate: settings.bitrate, backend: settings.backend, image: image)
        try GenerateService.run(
            job, trap: invocation.trap, progress: invocation.progress, logger: invocation.logger,
            beforeRendering: invocation.announceSeed)
    }
}
