#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why audio could not be encoded or written.
public enum EncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Opus only runs at 8, 12, 16, 24 or 48 kHz.
    case unsupportedSampleRate(Int)
    /// Only mono and stereo are supported.
    case unsupportedChannels(Int)
    /// The bitrate is outside what Opus accepts.
    case unsupportedBitrate(Int)
    /// libopus reported an error (its own message).
    case opus(String)
    /// libogg could not take a packet or produce a page.
    case ogg
    /// Writing to the output failed with this `errno`.
    case writeFailed(errno: Int32)
    /// The audio is too long for a WAV file's 32-bit size fields.
    case wavTooLong(frames: Int)
    /// A WAV stream received a different number of frames than its header announced.
    case wavFrameCountMismatch(expected: Int, actual: Int)

    /// One sentence saying what went wrong and, where it helps, what to do.
    public var description: String {
        switch self {
        case let .unsupportedSampleRate(rate):
            "Opus cannot encode at \(rate) Hz; use 8000, 12000, 16000, 24000 or 48000."
        case let .unsupportedChannels(count):
            "Cannot encode \(count) channels; use 1 (mono) or 2 (stereo)."
        case let .unsupportedBitrate(bitrate):
            "Opus cannot encode at \(bitrate) bit/s; use a bitrate between 6000 and 510000."
        case let .opus(message):
            "The Opus encoder failed: \(message)."
        case .ogg:
            "The Ogg stream could not be assembled (out of memory)."
        case .writeFailed(ENOSPC):
            "Writing the output failed: the disk is full (no space left on device)."
        case .writeFailed(EPIPE):
            "Writing the output failed: the reader closed the pipe before the scream ended."
        case let .writeFailed(code):
            "Writing the output failed: \(String(cString: strerror(code)))."
        case let .wavTooLong(frames):
            "\(frames) frames are too long for a WAV file (its size fields hold at most 4 GiB)."
        case let .wavFrameCountMismatch(expected, actual):
            "The WAV header announced \(expected) frames but \(actual) arrived."
        }
    }
}
