/// A command line that asks for something contradictory.
enum UsageError: Error, CustomStringConvertible {
    /// The same value was given as an argument and as an option, differently.
    case givenTwice(argument: String, option: String)
    /// `play --output` without `--dry-run`.
    case outputWithoutDryRun
    /// `play --dry-run --output -`: standard output already carries the summary.
    case previewToStandardOutput
    /// `play --image` without `--dry-run`.
    case imageWithoutDryRun
    /// `--image-size` without `--image`.
    case imageSizeWithoutImage
    /// `generate --print-command` without the ffmpeg backend, which has no command to print.
    case printCommandNeedsFFmpeg
    /// `play --dry-run --output` with a file name that says WAV: the preview is Ogg Opus.
    case previewIsOgg(path: String)
    /// An option was given more than once; argument parser would keep only the last.
    case repeatedOption(String)
    /// `scream help NAME` for a command that does not exist.
    case unknownCommand(String, known: [String])
    /// `bot invite-url --application-id` with something that is not an id.
    case invalidApplicationID(String)
    /// `bot invite-url` with a token whose first part does not decode to an id.
    case tokenWithoutApplicationID

    var description: String {
        switch self {
        case .givenTwice(let argument, let option):
            "\(argument) was given both as an argument and as \(option) with different values; give it once."
        case .outputWithoutDryRun:
            "--output saves the preview of a dry run; add --dry-run or drop --output."
        case .previewToStandardOutput:
            "the dry-run preview cannot go to standard output, which carries the summary; give --output a file name."
        case .imageWithoutDryRun:
            "--image draws the scream of a dry run; add --dry-run or drop --image."
        case .imageSizeWithoutImage:
            "--image-size sets the size of the --image file; add --image FILE.png or drop --image-size."
        case .printCommandNeedsFFmpeg:
            "--print-command prints the ffmpeg command line, so it needs --backend ffmpeg."
        case .previewIsOgg(let path):
            "the dry-run preview is Ogg Opus, but \(path) names a WAV file; give it an .ogg name."
        case .repeatedOption(let name):
            "\(name) was given more than once; give each option once."
        case .unknownCommand(let name, let known):
            "there is no command '\(name)'; the commands are \(known.joined(separator: ", "))."
        case .invalidApplicationID(let text):
            "--application-id must be a numeric Discord id, not '\(text.prefix(40))'."
        case .tokenWithoutApplicationID:
            "the application id cannot be read from this token; pass --application-id (General Information page of your application)."
        }
    }

    /// The value given as the argument or as the option; both is fine only when they agree.
    static func single(argument: String?, option: String?, names: (argument: String, option: String)) throws -> String? {
        if let argument, let option, argument != option {
            throw givenTwice(argument: names.argument, option: names.option)
        }
        return argument ?? option
    }

    /// Throws for the first option that `arguments` give twice (long and short forms count
    /// as one), before a `--` that ends the options.
    static func checkRepeatedOptions(_ arguments: some Sequence<String>) throws {
        let shortNames = ["-o": "--output", "-g": "--guild", "-c": "--channel", "-v": "--verbose", "-h": "--help"]
        var seen: Set<String> = []
        for argument in arguments {
            if argument == "--" { return }
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            guard let option = name.hasPrefix("--") && name.count > 2 ? name : shortNames[name] else { continue }
            guard seen.insert(option).inserted else { throw repeatedOption(option) }
        }
    }
}
