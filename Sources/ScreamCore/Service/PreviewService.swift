import Logging

/// One `scream preview` request: an existing Ogg Opus or WAV file and the image to draw of it.
public struct PreviewJob: Sendable {
    /// The audio file to read.
    public var input: String
    /// The image to write.
    public var image: ImageRequest

    /// Creates a job from its parts.
    public init(input: String, image: ImageRequest) {
        self.input = input
        self.image = image
    }
}

/// Draws the preview image of an existing audio file: decode -> image accumulator -> PNG.
///
/// The image is written under a temporary name and renamed once complete, as audio is.
public enum PreviewService {
    /// Runs `job`; `trap` stops it between blocks on SIGINT or SIGTERM.
    @discardableResult
    public static func run(_ job: PreviewJob, trap: SignalTrap, progress: ProgressBar, logger: Logger) throws -> RenderStats {
        let file = try InputFile(path: job.input)
        let magic = try file.peek(4)
        let stats: RenderStats
        if magic.elementsEqual("OggS".utf8) {
            let reader = try OggOpusReader(file: file)
            stats = try draw(reader, frames: reader.frameCount, job: job, trap: trap, progress: progress)
        } else if magic.elementsEqual("RIFF".utf8) {
            let reader = try WAVReader(file: file)
            stats = try draw(reader, frames: reader.frameCount, job: job, trap: trap, progress: progress)
        } else {
            throw DecodingError.notAudio(path: job.input)
        }
        logger.info("wrote \(job.image.path) (\(stats.frames) frames, peak \(PeakText.text(for: stats.peakDBFS)))")
        return stats
    }

    private static func draw<Source: PCMSource>(
        _ source: Source, frames: Int, job: PreviewJob, trap: SignalTrap, progress: ProgressBar
    ) throws -> RenderStats {
        let image = try ImageOutput(job.image, totalFrames: frames, sampleRate: source.sampleRate)
        trap.guardTemporaryFiles([image.temporaryPath].compactMap { $0 })
        defer { trap.guardTemporaryFiles([]) }
        do {
            var consumer = DrainConsumer()
            var accumulator = image.accumulator.take()
            let stats = try Rendering.feed(
                source, into: &consumer, totalFrames: frames, trap: trap, progress: progress, image: &accumulator)
            image.accumulator = accumulator
            let name = job.input.split(separator: "/").last.map(String.init) ?? job.input
            try image.write(subject: name, peakDBFS: stats.peakDBFS)
            try trap.check()
            try image.commit()
            return stats
        } catch {
            image.discard()
            throw error
        }
    }
}

/// Reads a source to its end and does nothing else with it, for a tap that watches the PCM.
struct DrainConsumer: SourceConsumer {
    mutating func consume<Source: PCMSource>(_ source: inout MonitoredSource<Source>) throws {
        var block = [Int16](repeating: 0, count: 4096 * source.channels)
        try block.withUnsafeMutableBufferPointer { buffer in
            while try source.read(into: buffer) > 0 {}
        }
    }
}
