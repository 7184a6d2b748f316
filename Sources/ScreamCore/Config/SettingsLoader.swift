import Foundation

/// Resolves ``Settings`` through the cascade defaults < config file < environment < flags.
///
/// Every source is parsed in full, so a bad value is an error even when a later source
/// overrides it; the error names the source, the key and the value.
public enum SettingsLoader {
    /// Loads the settings.
    ///
    /// - Parameters:
    ///   - flags: the values given on the command line, as typed.
    ///   - flagNames: how a flag value was given when not by its option (`GUILD` for a positional argument).
    ///   - configFile: the `--config` path; without it the default config file is read when present.
    ///   - environment: the process environment; empty variables count as unset.
    public static func load(
        flags: [SettingKey: String], flagNames: [SettingKey: String] = [:], configFile: String?,
        environment: [String: String]
    ) throws -> Settings {
        var settings = Settings()
        if let path = configFile ?? defaultConfigFile(environment: environment) {
            try applyFile(path, to: &settings)
            settings.configFile = path
        }
        for key in SettingKey.allCases {
            guard let name = key.environmentVariable, let text = environment[name], !text.isEmpty else { continue }
            try settings.set(key, to: text, from: .environment(name))
        }
        for key in SettingKey.allCases {
            guard let text = flags[key] else { continue }
            try settings.set(key, to: text, from: .flag(flagNames[key] ?? key.flag))
        }
        return settings
    }

    /// `$XDG_CONFIG_HOME/scream/config.yaml`, else `~/.config/scream/config.yaml`, whichever exists first.
    public static func defaultConfigFile(environment: [String: String]) -> String? {
        var candidates: [String] = []
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            candidates.append("\(xdg)/scream/config.yaml")
        }
        if let home = environment["HOME"], !home.isEmpty {
            candidates.append("\(home)/.config/scream/config.yaml")
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The settings a config file's YAML `text` gives over the defaults; `path` only names the text in errors.
    public static func parseConfig(_ text: String, path: String) throws -> Settings {
        var settings = Settings()
        try apply(YAMLMapping.parse(text, path: path), to: &settings)
        return settings
    }

    private static func applyFile(_ path: String, to settings: inout Settings) throws {
        try apply(YAMLMapping.load(path: path), to: &settings)
    }

    private static func apply(_ mapping: YAMLMapping, to settings: inout Settings) throws {
        try mapping.rejectUnknownKeys(allowed: SettingKey.allCases.map(\.yamlKey))
        for key in SettingKey.allCases {
            guard let text = try mapping.scalar(key.yamlKey) else { continue }
            try settings.set(key, to: text, from: mapping.source(key.yamlKey))
        }
    }
}
