import Foundation

/// The ffmpeg backend: renders a scream through an ffmpeg child process and streams its
/// s16le output into the caller's blocks, exactly `params.sampleCount` frames.
///
/// ffmpeg starts in `init`. Reaching the end reaps it and turns a failure into an
/// `FFmpegError`; `cancel()` (from any thread), task cancellation (checked on every read) and
/// dropping the last copy of the generator kill it with SIGKILL and reap it, so no zombie is
/// left behind. ffmpeg runs in its own process group, so a terminal Ctrl-C reaches only
/// `scream`: stop reading and drop the generator (or call `cancel()`) to stop ffmpeg too.
/// An ffmpeg that writes nothing for the stall timeout is killed and the read fails.
public struct FFmpegGenerator: PCMSource, Sendable {
    /// The environment variable that names the ffmpeg executable, overriding `PATH`.
    public static let executableVariable = "SCREAM_FFMPEG"
    /// How long ffmpeg may go without writing any output before it counts as hung.
    public static let defaultStallTimeout: Duration = .seconds(10)

    /// Samples per frame; every channel carries the same sample.
    public let channels: Int
    /// Frames per second.
    public let sampleRate: Int
    /// Frames in the whole scream: `params.sampleCount`.
    public let totalFrames: Int
    /// The ffmpeg executable that is running.
    public let executable: String
    /// The invocation that is running.
    public let command: FFmpegCommand
    /// Frames delivered so far.
    public private(set) var framesRendered = 0
    private let process: FFmpegProcess

    /// Starts ffmpeg for `params` (validated, with volume and duration already applied).
    ///
    /// - Parameters:
    ///   - environment: where `SCREAM_FFMPEG` and `PATH` are looked up.
    ///   - stallTimeout: how long a read waits for any output from ffmpeg before it kills
    ///     ffmpeg and throws ``FFmpegError/stalled(path:timeout:)``.
    /// - Throws: `FFmpegError.notFound`, `.notExecutable` or `.launchFailed`.
    public init(
        params: ScreamParams, environment: [String: String] = ProcessInfo.processInfo.environment,
        stallTimeout: Duration = defaultStallTimeout
    ) throws(FFmpegError) {
        command = FFmpegCommand(params: params)
        executable = try Self.locateExecutable(environment: environment)
        channels = params.channels
        sampleRate = params.sampleRate
        totalFrames = params.sampleCount
        process = try FFmpegProcess(executable: executable, arguments: command.arguments, stallTimeout: stallTimeout)
    }

    /// Frames still to come.
    public var framesRemaining: Int { totalFrames - framesRendered }

    /// The ffmpeg child's process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Fills `buffer` with as many whole interleaved frames as fit and remain.
    ///
    /// Returns the number of frames written; 0 once all frames were delivered and ffmpeg
    /// exited cleanly. Blocks until ffmpeg has produced the frames.
    /// - Throws: `FFmpegError` when ffmpeg fails, stops early or stalls, `CancellationError`
    ///   when the current task is cancelled (ffmpeg is killed first).
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        if Task.isCancelled {
            process.kill()
        }
        if process.wasKilled {
            throw CancellationError()
        }
        let frames = Swift.min(buffer.count / channels, framesRemaining)
        guard frames > 0, let base = buffer.baseAddress else {
            try process.finish()
            return 0
        }
        let frameBytes = channels * MemoryLayout<Int16>.size
        let got = try process.read(into: UnsafeMutableRawPointer(base), count: frames * frameBytes)
        guard got == frames * frameBytes else {
            try process.finish()
            if process.wasKilled { throw CancellationError() }
            throw FFmpegError.shortOutput(expected: totalFrames, produced: framesRendered + got / frameBytes)
        }
        for index in 0..<(frames * channels) {
            base[index] = Int16(littleEndian: base[index])
        }
        framesRendered += frames
        return frames
    }

    /// Kills ffmpeg (SIGKILL) if it still runs and reaps it; safe from any thread.
    ///
    /// A read blocked on ffmpeg's output returns, and it and later reads throw `CancellationError`.
    public func cancel() {
        process.kill()
    }

    /// The ffmpeg to run: `SCREAM_FFMPEG` if set, else the first `ffmpeg` on `PATH`.
    ///
    /// Used by `init`; callers printing the command (`--print-command`) can use it to show the
    /// executable without starting it.
    public static func locateExecutable(environment: [String: String]) throws(FFmpegError) -> String {
        if let override = environment[executableVariable], !override.isEmpty {
            guard isExecutableFile(override) else { throw .notExecutable(path: override) }
            return override
        }
        let directories = (environment["PATH"] ?? "").split(separator: ":")
        for directory in directories where !directory.isEmpty {
            let candidate = "\(directory)/ffmpeg"
            if isExecutableFile(candidate) { return candidate }
        }
        throw .notFound
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        let files = FileManager.default
        return files.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && files.isExecutableFile(atPath: path)
    }
}
