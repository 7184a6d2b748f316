import ArgumentParser
import ScreamCore
import ScreamDiscord

/// The sentence and exit code for a failure.
///
/// Codes: 1 runtime failure, 2 invalid input or usage, 128 + signal when interrupted.
struct ExitStatus {
    /// Exit code for a failure while running.
    static let runtimeFailure: Int32 = 1
    /// Exit code for invalid input or usage.
    static let invalidInput: Int32 = 2

    let sentence: String
    let code: Int32

    /// The status for `error`, or `nil` for help and version requests, which argument parser prints itself.
    init?(for error: Error) {
        switch error {
        case let error as ConfigError:
            self.init(error.description, Self.invalidInput)
        case let error as ParamsError:
            self.init(error.description, Self.invalidInput)
        case let error as UsageError:
            self.init(error.description, Self.invalidInput)
        case let error as ServiceError:
            self.init(error.description, error.exitStatus)
        case let error as PlayError:
            self.init(error.description, error.exitStatus)
        case let error as BotError:
            self.init(error.description, error.exitStatus)
        case let error as EncodingError:
            self.init(error.description, Self.isInputProblem(error) ? Self.invalidInput : Self.runtimeFailure)
        case let error as ImageError:
            self.init(error.description, error.exitStatus)
        case let error as DecodingError:
            self.init(error.description, Self.invalidInput)
        case let error as FFmpegError:
            self.init(error.description, Self.runtimeFailure)
        default:
            let code = Scream.exitCode(for: error)
            guard code != .success, !(error is CleanExit) else { return nil }
            let isUsage = code == .validationFailure
            self.init(Self.sentence(Scream.message(for: error)), isUsage ? Self.invalidInput : Self.runtimeFailure)
        }
    }

    private init(_ sentence: String, _ code: Int32) {
        self.sentence = sentence
        self.code = code
    }

    /// Encoder errors caused by the parameters rather than by the machine.
    private static func isInputProblem(_ error: EncodingError) -> Bool {
        switch error {
        case .unsupportedSampleRate, .unsupportedChannels, .unsupportedBitrate: true
        default: false
        }
    }

    /// Argument parser's message as one line ending in a full stop.
    private static func sentence(_ message: String) -> String {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        let trimmed = line.hasPrefix("Error: ") ? String(line.dropFirst("Error: ".count)) : line
        return trimmed.hasSuffix(".") ? trimmed : trimmed + "."
    }
}
