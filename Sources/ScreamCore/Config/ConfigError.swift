/// A configuration or parameter-file problem; `description` is one sentence the user can act on.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file named by `--config` or `--params` could not be read.
    case unreadableFile(path: String, reason: String)
    /// `--config` or `--params` was given an empty path.
    case emptyPath
    /// A file is larger than ``YAMLMapping/maximumFileBytes``.
    case fileTooLarge(path: String)
    /// A file holds a NUL byte, so it is not text.
    case containsNUL(path: String)
    /// A file nests mappings and lists deeper than ``YAMLNesting/maximumDepth``.
    case nestedTooDeep(path: String, limit: Int)
    /// A file is not YAML (or JSON) at all.
    case invalidYAML(path: String, detail: String)
    /// A file, or a section of one, is not a mapping of keys to values.
    case notAMapping(path: String, key: String?)
    /// A key that `scream` does not know (often a typo).
    case unknownKey(path: String, key: String, validKeys: [String])
    /// A value that cannot be used for its setting.
    case invalidValue(setting: String, value: String, source: ConfigSource, expected: String)
    /// A preset name that does not exist.
    case unknownPreset(name: String, source: ConfigSource)
    /// `--shards` without `--shard-count`: a slice needs the total it is a slice of.
    case shardsWithoutCount(String)
    /// `--shards` names a shard at or above `--shard-count`.
    case shardsBeyondCount(String, count: Int)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)."
        case .emptyPath:
            "the path of a parameter or config file is empty; give a file name."
        case .fileTooLarge(let path):
            "cannot read \(path): it is larger than 1 MiB; parameter and config files are a few lines of YAML."
        case .containsNUL(let path):
            "\(path) contains a NUL byte; parameter and config files are YAML text."
        case .nestedTooDeep(let path, let limit):
            "\(path) nests deeper than \(limit) levels; parameter and config files need only a few."
        case .invalidYAML(let path, let detail):
            "\(path) is not valid YAML: \(detail)."
        case .notAMapping(let path, nil):
            "\(path) must be a YAML mapping of keys to values."
        case .notAMapping(let path, let key?):
            "key '\(key)' in \(path) must be a mapping of keys to values."
        case .unknownKey(let path, let key, let validKeys):
            "unknown key '\(Self.shortened(key))' in \(path); valid keys here are: \(validKeys.joined(separator: ", "))."
        case .invalidValue(let setting, let value, let source, let expected):
            "invalid \(setting) '\(Self.shortened(value))' from \(source): expected \(expected)."
        case .unknownPreset(let name, let source):
            "unknown preset '\(Self.shortened(name))' from \(source); valid presets are: \(Preset.allCases.map(\.rawValue).joined(separator: ", "))."
        case .shardsWithoutCount(let shards):
            "--shards \(shards) needs --shard-count, the number of shards across every process, such as --shards \(shards) --shard-count 32."
        case .shardsBeyondCount(let shards, let count):
            "--shards \(shards) reaches beyond --shard-count \(count): shard ids run from 0 to \(count - 1)."
        }
    }

    /// The longest text from a file or a flag that a message echoes whole.
    static let echoedCharacters = 64

    /// `text` cut to ``echoedCharacters`` characters and `…` when it is longer, so a huge
    /// value never floods the terminal.
    static func shortened(_ text: String) -> String {
        guard let end = text.index(text.startIndex, offsetBy: echoedCharacters, limitedBy: text.endIndex),
            end < text.endIndex
        else { return text }
        return text[..<end] + "…"
    }
}
