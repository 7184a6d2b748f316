/// Where a configuration value came from, so an error can point at it.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    /// A command-line option such as `--volume`.
    case flag(String)
    /// An environment variable such as `SCREAM_VOLUME`.
    case environment(String)
    /// A key in a YAML file (a config file or a parameter file).
    case file(path: String, key: String)

    /// Names the source the way a user would look for it: `--volume`, `environment variable
    /// SCREAM_VOLUME`, `key 'volume' in /home/me/.config/scream/config.yaml`.
    public var description: String {
        switch self {
        case .flag(let name): name
        case .environment(let name): "environment variable \(name)"
        case .file(let path, let key): "key '\(key)' in \(path)"
        }
    }
}
