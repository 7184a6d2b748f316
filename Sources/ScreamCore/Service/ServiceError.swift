import DiscordVoice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a generate, dry-run or play request could not be carried out.
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
    /// `play` needs a guild id.
    case missingGuild
    /// `play` needs a bot token.
    case missingToken
    /// The bot token cannot be one; `reason` says why (the token itself is never shown).
    case invalidToken(reason: String)
    /// `SCREAM_GATEWAY_URL` is set to the empty string.
    case emptyGatewayURL
    /// A SIGHUP, SIGINT, SIGQUIT or SIGTERM stopped `play`; `joined` says whether the bot
    /// had joined the channel (it left it before exiting) or was still connecting.
    case playInterrupted(signal: Int32, joined: Bool)
    /// Discord refused or failed the connection, the join or the playback.
    case discord(DiscordVoiceError)

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
            "interrupted by \(Self.name(of: signal)); no output file was left behind."
        case .missingGuild:
            "no guild id given; pass --guild ID (or GUILD as the first argument) or set SCREAM_GUILD_ID."
        case .missingToken:
            "no Discord bot token given; pass --token, set DISCORD_TOKEN or add token to the config file."
        case .invalidToken(let reason):
            "the Discord bot token is not valid: \(reason); copy it again from the Bot page of your application."
        case .emptyGatewayURL:
            "SCREAM_GATEWAY_URL is set but empty; unset it to use Discord's gateway, or set it to a wss:// URL."
        case .playInterrupted(let signal, joined: true):
            "interrupted by \(Self.name(of: signal)); the bot left the voice channel."
        case .playInterrupted(let signal, joined: false):
            "interrupted by \(Self.name(of: signal)) before the bot had joined the voice channel; nothing was played."
        case .discord(let error):
            error.description
        }
    }

    /// The process exit status for this error: 128 + the signal for interruptions, 2 for
    /// problems with what the user asked for (a rejected token or ids the bot cannot use
    /// count), 1 for everything else.
    public var exitStatus: Int32 {
        switch self {
        case .interrupted(let signal), .playInterrupted(let signal, _): 128 + signal
        case .discord(let error): Self.isInputProblem(error) ? 2 : 1
        default: 2
        }
    }

    private static func isInputProblem(_ error: DiscordVoiceError) -> Bool {
        switch error {
        case .gatewayClosed(.authenticationFailed, _), .unknownGuild, .unknownChannel, .notAVoiceChannel, .stageChannel,
            .missingPermissions, .invalidURL,
            .caFileUnreadable:
            true
        default:
            false
        }
    }

    private static func name(of signal: Int32) -> String {
        switch signal {
        case SIGHUP: "SIGHUP"
        case SIGQUIT: "SIGQUIT"
        case SIGTERM: "SIGTERM"
        default: "SIGINT"
        }
    }

    private static func joined(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
