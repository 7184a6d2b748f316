import Foundation
import Logging
import ScreamCore

/// What every rendering command sets up first: settings, logging, the signal trap and the scream.
struct Invocation {
    let settings: Settings
    let logger: Logger
    let trap: SignalTrap
    let recipe: ScreamRecipe

    /// Loads the settings from the cascade, starts logging and catching signals (ending the
    /// process `grace` after a signal it has not stopped by), and resolves the scream.
    init(
        flags: [SettingKey: String], flagNames: [SettingKey: String] = [:], audio: AudioOptions, common: CommonOptions,
        grace: DispatchTimeInterval = SignalTrap.gracePeriod
    ) throws {
        let allFlags = flags.merging(audio.flags) { own, _ in own }.merging(common.flags) { own, _ in own }
        settings = try SettingsLoader.load(
            flags: allFlags, flagNames: flagNames, configFile: common.config, environment: ProcessInfo.processInfo.environment)
        logger = Self.startLogging(at: settings.effectiveLogLevel)
        logger.debug("settings: \(settings.redactedSummary)")
        trap = SignalTrap(grace: grace)
        trap.install()
        recipe = try ScreamRecipe.resolve(settings: settings, parameterFile: audio.params)
    }

    /// Sends every log at `level` or above to standard error; returns the command's logger.
    static func startLogging(at level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "scream")
    }

    /// Prints `seed: N` to standard error for a random scream, so `--seed N` can reproduce it.
    func announceSeed() {
        if case .random(let seed) = recipe.origin {
            FileHandle.standardError.write(Data("seed: \(seed)\n".utf8))
        }
    }

    /// Prints the resolved parameters as YAML to standard output.
    func printParams() {
        announceSeed()
        FileHandle.standardOutput.write(Data(ParameterFile.yaml(for: recipe.params).utf8))
    }

    /// A progress bar for standard error.
    var progress: ProgressBar { .forStandardError() }
}
