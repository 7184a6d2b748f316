import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `scream generate` request, fully resolved.
public struct GenerateJob: Sendable {
    /// The scream to render.
    public var recipe: ScreamRecipe
    /// The container to write.
    public var format: AudioFormat
    /// Where it goes.
    public var destination: Destination
    /// Opus bitrate in bits per second (Ogg only).
    public var bitrate: Int
    /// The synthesizer.
    public var backend: Backend
    /// A preview image to draw from the same render, if any.
    public var image: ImageRequest?

    /// Creates a job from its parts.
    public init(
        recipe: ScreamRecipe, format: AudioFormat, destination: Destination, bitrate: Int, backend: Backend,
        image: ImageRequest? = nil
    ) {
        self.recipe = recipe
        self.format = format
        self.destination = destination
        self.bitrate = bitrate
        self.backend = backend
        self.image = image
    }
}

/// Renders a scream into a file or standard output: params -> PCM blocks -> encoder -> bytes.
///
/// A file is written under a temporary name beside the target and renamed only once it is
/// complete, so an error or a signal never leaves a partial file at the output path.
public enum GenerateService {
    /// Runs `job`; `trap` stops it between blocks on a signal it catches.
    ///
    /// `beforeRendering` runs once the output is open and the synthesizer started, so
    /// anything it prints comes only when the job passed every check. A preview image is
    /// written beside the audio under a temporary name too, and renamed after it.
    @discardableResult
    public static func run(
        _ job: GenerateJob, trap: SignalTrap, progress: ProgressBar, logger: Logger,
        beforeRendering: () -> Void = {}
    ) throws -> RenderStats {
        let params = job.recipe.params
        logger.info(
            "rendering \(job.recipe.origin) (\(DurationText.rounded(params.duration)), \(params.sampleRate) Hz, \(params.channels) channels) as \(job.format.rawValue) with the \(job.backend.rawValue) backend")
        var output: OutputFile?
        let sink: ByteSink
        switch job.destination {
        case .standardOutput:
            guard isatty(STDOUT_FILENO) == 0 else { throw ServiceError.outputIsTerminal }
            sink = .standardOutput
        case .file(let path):
            output = try OutputFile(path: path)
            sink = output!.sink
        }
        let image = try job.image.map { try ImageOutput($0, totalFrames: params.sampleCount, sampleRate: params.sampleRate) }
        trap.guardTemporaryFiles([output?.temporaryPath, image?.temporaryPath].compactMap { $0 })
        defer { trap.guardTemporaryFiles([]) }
        do {
            let stats = try encode(job, to: sink, image: image, trap: trap, progress: progress, started: beforeRendering)
            try image?.write(subject: job.recipe.origin.description, peakDBFS: stats.peakDBFS)
            if output != nil || image != nil { try trap.check() }
            try output?.commit()
            try image?.commit()
            switch job.destination {
            case .standardOutput: logger.info("wrote \(stats.frames) frames to standard output")
            case .file(let path): logger.info("wrote \(path) (\(stats.frames) frames, peak \(PeakText.text(for: stats.peakDBFS)))")
            }
            if let path = job.image?.path { logger.info("wrote \(path)") }
            return stats
        } catch {
            output?.discard()
            image?.discard()
            throw error
        }
    }

    private static func encode(
        _ job: GenerateJob, to sink: ByteSink, image: ImageOutput?, trap: SignalTrap, progress: ProgressBar,
        started: () -> Void
    ) throws -> RenderStats {
        var accumulator = image.flatMap { $0.accumulator.take() }
        defer { image?.accumulator = accumulator }
        switch job.format {
        case .wav:
            var consumer = WAVConsumer(sink: sink, frameCount: job.recipe.params.sampleCount)
            return try Rendering.run(
                &consumer, recipe: job.recipe, backend: job.backend, trap: trap, progress: progress, image: &accumulator,
                started: started)
        case .ogg:
            var consumer = OpusConsumer(sink: sink, bitrate: job.bitrate, params: job.recipe.params)
            return try Rendering.run(
                &consumer, recipe: job.recipe, backend: job.backend, trap: trap, progress: progress, image: &accumulator,
                started: started)
        }
    }
}

/// Peak levels as text: `-0.4 dBFS`, or `-inf dBFS` for silence.
public enum PeakText {
    /// The level with one decimal.
    public static func text(for dBFS: Double) -> String {
        guard dBFS.isFinite else { return "-inf dBFS" }
        let tenths = (dBFS * 10).rounded()
        let sign = tenths < 0 ? "-" : ""
        let magnitude = Int(abs(tenths))
        return "\(sign)\(magnitude / 10).\(magnitude % 10) dBFS"
    }
}
