import Logging

/// What `scream play --dry-run` would have sent.
public struct DryRunSummary: Sendable, Equatable, CustomStringConvertible {
    /// Where the scream came from (preset, parameter file or seed).
    public var origin: ScreamRecipe.Origin
    /// Scream length in seconds.
    public var duration: Double
    /// Opus packets (20 ms frames).
    public var frames: Int
    /// Opus payload bytes in all packets.
    public var bytes: Int
    /// Peak level of the PCM in dBFS.
    public var peakDBFS: Double

    /// One line: `dry run: preset classic, 3s, 150 frames, 24012 bytes, peak -0.4 dBFS; nothing was sent.`
    public var description: String {
        "dry run: \(origin), \(DurationText.rounded(duration)), \(frames) frames, \(bytes) bytes, peak \(PeakText.text(for: peakDBFS)); nothing was sent."
    }
}

/// Renders and encodes exactly the Opus packets `play` would send, without a token or network.
public enum DryRun {
    /// Runs the preview; with `preview` set the packets are also saved there as Ogg Opus,
    /// and with `image` set a preview image of the same render is drawn.
    ///
    /// The scream is rendered as 48 kHz stereo, as `play` sends it (see ``ScreamRecipe/forDiscord``).
    ///
    /// `beforeRendering` runs once the preview file is open and the synthesizer started.
    public static func run(
        recipe: ScreamRecipe, bitrate: Int, backend: Backend, preview: String?, image: ImageRequest? = nil,
        trap: SignalTrap, progress: ProgressBar, logger: Logger, beforeRendering: () -> Void = {}
    ) throws -> DryRunSummary {
        let recipe = recipe.forDiscord
        logger.info("dry run: encoding \(recipe.origin) without connecting to Discord")
        if preview?.isEmpty == true {
            throw ServiceError.emptyOutputPath
        }
        let output = try preview.map(OutputFile.init(path:))
        let picture = try image.map {
            try ImageOutput($0, totalFrames: recipe.params.sampleCount, sampleRate: recipe.params.sampleRate)
        }
        trap.guardTemporaryFiles([output?.temporaryPath, picture?.temporaryPath].compactMap { $0 })
        defer { trap.guardTemporaryFiles([]) }
        do {
            var consumer = OpusConsumer(sink: output?.sink, bitrate: bitrate, params: recipe.params)
            var accumulator = picture.flatMap { $0.accumulator.take() }
            let stats = try Rendering.run(
                &consumer, recipe: recipe, backend: backend, trap: trap, progress: progress, image: &accumulator,
                started: beforeRendering)
            picture?.accumulator = accumulator
            try picture?.write(subject: recipe.origin.description, peakDBFS: stats.peakDBFS)
            try trap.check()
            try output?.commit()
            try picture?.commit()
            return DryRunSummary(
                origin: recipe.origin, duration: recipe.params.duration, frames: consumer.packets,
                bytes: consumer.bytes, peakDBFS: stats.peakDBFS)
        } catch {
            output?.discard()
            picture?.discard()
            throw error
        }
    }
}
