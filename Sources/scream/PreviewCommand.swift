import ArgumentParser
import Foundation
import Logging
import ScreamCore

/// `scream preview`: draw the preview image of an existing Ogg Opus or WAV file.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Draw the waveform and spectrogram of an Ogg Opus or WAV file as a PNG.",
        discussion: """
            The image is the one --image draws while rendering: the waveform on top, the
            spectrogram (log frequency, 50 Hz to Nyquist) below, with a title giving the
            file name, duration and peak level. It is written under a temporary name and
            renamed when complete.

            Examples:
              scream preview scream.ogg -o scream.png
              scream preview out.wav -o out.png --size 1920x1080
            """)

    @Argument(help: ArgumentHelp("The Ogg Opus or WAV file to draw.", valueName: "input"))
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The PNG file to write.", valueName: "file.png"))
    var output: String

    @Option(help: ArgumentHelp("Image size as WIDTHxHEIGHT (default: 1200x600).", valueName: "size"))
    var size: String?

    @Flag(name: .shortAndLong, help: "Log milestones to standard error.")
    var verbose = false

    func run() throws {
        let size = try size.map { try ImageSize(parsing: $0, option: "--size") } ?? .standard
        let job = PreviewJob(input: input, image: try ImageRequest(path: output, size: size))
        let logger = Invocation.startLogging(at: verbose ? .info : .warning)
        let trap = SignalTrap()
        trap.install()
        try PreviewService.run(job, trap: trap, progress: .forStandardError(), logger: logger)
    }
}
