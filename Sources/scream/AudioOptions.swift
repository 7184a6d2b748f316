import ArgumentParser
import ScreamCore

/// The options that shape the scream, shared by `generate` and `play`.
///
/// Values stay text here; the config cascade parses and validates them so that a bad value
/// reads the same whether it came from a flag, the environment or the config file. Numeric
/// options take the next word whatever it is, so `--seed -1` reaches the check that
/// refuses it instead of reading as an unknown option.
struct AudioOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Preset to render (see 'scream presets'); without one the scream is random.", valueName: "name"))
    var preset: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Length, such as 3s, 500ms, 1.5s or 1m30s (at most 10m).", valueName: "duration"))
    var duration: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Volume from 0 (silence) to 1 (full).", valueName: "0..1"))
    var volume: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Seed; the same seed gives the same scream.", valueName: "n"))
    var seed: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Opus bitrate, such as 64000 or 64k (default: 64k).", valueName: "bits"))
    var bitrate: String?

    @Option(help: ArgumentHelp("YAML or JSON parameter file, read over the preset (or classic).", valueName: "file"))
    var params: String?

    @Flag(help: "Print the resolved parameters as YAML and exit; they replay with --params.")
    var printParams = false

    @Option(help: ArgumentHelp("Synthesizer: native or ffmpeg (default: native).", valueName: "backend"))
    var backend: String?

    /// The values given, keyed by setting, for the config cascade.
    var flags: [SettingKey: String] {
        var flags: [SettingKey: String] = [:]
        flags[.preset] = preset
        flags[.duration] = duration
        flags[.volume] = volume
        flags[.seed] = seed
        flags[.bitrate] = bitrate
        flags[.backend] = backend
        return flags
    }
}

/// Options every command that renders takes: the config file and logging.
struct CommonOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Config file (default: $XDG_CONFIG_HOME/scream/config.yaml or ~/.config/scream/config.yaml when present).",
        valueName: "file"))
    var config: String?

    @Flag(name: .shortAndLong, help: "Log milestones to standard error (at least --log-level info).")
    var verbose = false

    @Option(help: ArgumentHelp("Log level: debug, info, warn or error (default: warn).", valueName: "level"))
    var logLevel: String?

    /// The values given, keyed by setting, for the config cascade.
    var flags: [SettingKey: String] {
        var flags: [SettingKey: String] = [:]
        flags[.verbose] = verbose ? "true" : nil
        flags[.logLevel] = logLevel
        return flags
    }
}
