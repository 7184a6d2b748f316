/// Why the ffmpeg backend could not render a scream.
public enum FFmpegError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `ffmpeg` executable on `PATH` and `SCREAM_FFMPEG` unset.
    case notFound
    /// `SCREAM_FFMPEG` names a path that is not an executable file.
    case notExecutable(path: String)
    /// The operating system refused to start ffmpeg.
    case launchFailed(path: String, reason: String)
    /// ffmpeg exited with a non-zero status; `stderr` holds its last lines.
    case failed(status: Int32, stderr: String)
    /// ffmpeg was killed by a signal it did not get from us; `stderr` holds its last lines.
    case killed(signal: Int32, stderr: String)
    /// ffmpeg exited cleanly but wrote fewer frames than the scream has.
    case shortOutput(expected: Int, produced: Int)
    /// Reading ffmpeg's output failed with `errno`.
    case readFailed(errno: Int32)
    /// ffmpeg at `path` wrote nothing for `timeout`, so it was killed.
    case stalled(path: String, timeout: Duration)

    public var description: String {
        switch self {
        case .notFound:
            "ffmpeg was not found on PATH; install it (`apt-get install ffmpeg`, `brew install ffmpeg` or `make setup`) or set SCREAM_FFMPEG to its path."
        case let .notExecutable(path):
            "SCREAM_FFMPEG is set to \(path), which is not an executable file; point it at ffmpeg or unset it to search PATH."
        case let .launchFailed(path, reason):
            "Could not start ffmpeg at \(path): \(reason)."
        case let .failed(status, stderr):
            "ffmpeg exited with status \(status)\(Self.quoting(stderr))."
        case let .killed(signal, stderr):
            "ffmpeg was killed by signal \(signal)\(Self.quoting(stderr))."
        case let .shortOutput(expected, produced):
            "ffmpeg stopped after \(produced) of \(expected) frames without reporting an error."
        case let .readFailed(errno):
            "Reading ffmpeg's output failed (errno \(errno))."
        case let .stalled(path, timeout):
            "ffmpeg at \(path) produced no output for \(Self.seconds(timeout)) s, so it was stopped; check that it is a working ffmpeg."
        }
    }

    /// `timeout` in seconds: `10`, `0.5`.
    private static func seconds(_ timeout: Duration) -> String {
        let milliseconds = timeout.wholeMilliseconds
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : "\(Double(milliseconds) / 1000)"
    }

    /// `stderr`'s lines joined into one clause, or a note that it printed nothing.
    private static func quoting(_ stderr: String) -> String {
        let lines = stderr.split(whereSeparator: \.isNewline)
        return lines.isEmpty ? " and printed nothing" : ": " + lines.joined(separator: " / ")
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
