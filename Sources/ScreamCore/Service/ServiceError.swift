#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a generate, preview or dry-run request could not be carried out.
public enum ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The output path is the empty string.
    case emptyOutputPath
    /// The folder the output should go in does not exist.
    case outputFolderMissing(path: String, folder: String)
    /// The output path names a directory.
    case outputIsDirectory(path: String)
    /// The output cannot be created or replaced.
    case outputNotWritable(path: String, errno: Int32)
    /// Audio would be written to a terminal.
    case outputIsTerminal
    /// The output path names something audio cannot be written to, such as a block device.
    case outputUnsupportedKind(path: String, kind: String)
    /// `--format` says one container, the file extension another.
    case formatContradictsExtension(format: AudioFormat, path: String)
    /// A SIGHUP, SIGINT, SIGQUIT or SIGTERM arrived; nothing was left at the output path.
    case interrupted(signal: Int32)

    public var description: String {
        switch self {
        case .emptyOutputPath:
            "the output path is empty; give a file name."
        case .outputFolderMissing(let path, let folder):
            "cannot write \(path): the folder \(folder) does not exist."
        case .outputIsDirectory(let path):
            "cannot write \(path): it is a directory, so give a file name such as \(Self.joined(path, "scream.ogg"))."
        case .outputNotWritable(let path, let code):
            "cannot write \(path): \(String(cString: strerror(code)).lowercased())."
        case .outputIsTerminal:
            "refusing to write audio to a terminal; redirect standard output or give a file name."
        case .outputUnsupportedKind(let path, let kind):
            "cannot write \(path): it is \(kind); give a regular file, a FIFO or a character device such as /dev/null."
        case .formatContradictsExtension(let format, let path):
            "--format \(format.rawValue) contradicts the extension of \(path); drop --format or name the file .\(format.rawValue)."
        case .interrupted(let signal):
            "interrupted by \(SignalTrap.name(of: signal)); no output file was left behind."
        }
    }

    /// The process exit status for this error: 128 + the signal for interruptions, else 2
    /// (the output the user asked for cannot be written).
    public var exitStatus: Int32 {
        switch self {
        case .interrupted(let signal): 128 + signal
        default: 2
        }
    }

    private static func joined(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
