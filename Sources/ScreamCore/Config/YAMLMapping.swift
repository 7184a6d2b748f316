import Foundation
import Yams

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One YAML mapping from a file, read key by key: unknown keys and values of the wrong shape
/// are errors that name the key with its full dotted path (Yams rejects duplicate keys).
struct YAMLMapping {
    /// The file the mapping came from, as the user named it.
    let path: String
    /// The dotted path of this mapping inside the file (`""` at the top level).
    let keyPath: String
    private let entries: [(key: String, value: Node)]

    /// The largest file read: 1 MiB.
    static let maximumFileBytes = 1 << 20

    /// Reads and parses the YAML (or JSON) file at `path`; an empty file is an empty mapping.
    ///
    /// Pipes, FIFOs and `/dev/stdin` are read like files; at most ``maximumFileBytes`` + 1
    /// bytes are ever read.
    static func load(path: String) throws -> YAMLMapping {
        try parse(try readText(path: path), path: path)
    }

    /// Parses `text`, reporting problems against `path`.
    ///
    /// A NUL byte or nesting deeper than ``YAMLNesting/maximumDepth`` is rejected before
    /// the YAML parser sees the text.
    static func parse(_ text: String, path: String) throws -> YAMLMapping {
        if text.utf8.contains(0) {
            throw ConfigError.containsNUL(path: path)
        }
        if YAMLNesting.depth(of: text, exceeds: YAMLNesting.maximumDepth) {
            throw ConfigError.nestedTooDeep(path: path, limit: YAMLNesting.maximumDepth)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError.invalidYAML(path: path, detail: Self.detail(of: error))
        }
        guard let root else { return YAMLMapping(path: path, keyPath: "", entries: []) }
        return try YAMLMapping(node: root, path: path, keyPath: "")
    }

    private init(path: String, keyPath: String, entries: [(key: String, value: Node)]) {
        self.path = path
        self.keyPath = keyPath
        self.entries = entries
    }

    private init(node: Node, path: String, keyPath: String) throws {
        guard case .mapping(let mapping) = node else {
            throw ConfigError.notAMapping(path: path, key: keyPath.isEmpty ? nil : keyPath)
        }
        self.init(path: path, keyPath: keyPath, entries: mapping.map { (key: $0.key.string ?? "\($0.key)", value: $0.value) })
    }

    /// Throws for the first key that is not in `allowed`.
    func rejectUnknownKeys(allowed: [String]) throws {
        if let unknown = entries.first(where: { !allowed.contains($0.key) }) {
            throw ConfigError.unknownKey(path: path, key: Self.join(keyPath, unknown.key), validKeys: allowed)
        }
    }

    /// The source to blame for the value under `key`.
    func source(_ key: String) -> ConfigSource {
        .file(path: path, key: Self.join(keyPath, key))
    }

    /// The text of the single value under `key`, or `nil` when the key is absent or null.
    func scalar(_ key: String) throws -> String? {
        guard let node = entries.first(where: { $0.key == key })?.value else { return nil }
        guard case .scalar(let scalar) = node else {
            throw ConfigError.invalidValue(
                setting: "value", value: "(\(Self.kind(of: node)))", source: source(key), expected: "a single value")
        }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            return nil
        }
        return scalar.string
    }

    /// The nested mapping under `key`, or `nil` when the key is absent or null.
    func mapping(_ key: String) throws -> YAMLMapping? {
        guard let node = entries.first(where: { $0.key == key })?.value else { return nil }
        if node.null != nil { return nil }
        return try YAMLMapping(node: node, path: path, keyPath: Self.join(keyPath, key))
    }

    private static func join(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty ? key : "\(prefix).\(key)"
    }

    private static func kind(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar, .alias: "a value"
        }
    }

    /// A Yams error as one clause: `line 2, column 1: did not find expected node content`.
    private static func detail(of error: Error) -> String {
        let clause: String
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            clause = "line \(mark.line), column \(mark.column): \(problem)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().prefix(3).map { "'\(ConfigError.shortened($0))'" }
            clause = "line \(context.mark.line): key \(keys.joined(separator: ", ")) appears more than once"
        default:
            clause = "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
        }
        return clause.trimmingWhitespace()
    }

    /// The file's text, read through one descriptor so pipes and FIFOs work too.
    private static func readText(path: String) throws -> String {
        guard !path.isEmpty else { throw ConfigError.emptyPath }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConfigError.unreadableFile(path: path, reason: reason(for: errno))
        }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw ConfigError.unreadableFile(path: path, reason: reason(for: EISDIR))
            }
            if (info.st_mode & S_IFMT) == S_IFREG, info.st_size > maximumFileBytes {
                throw ConfigError.fileTooLarge(path: path)
            }
        }
        var bytes = [UInt8](repeating: 0, count: maximumFileBytes + 1)
        var filled = 0
        while filled < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if got > 0 {
                filled += got
            } else if got == 0 {
                break
            } else if errno != EINTR {
                throw ConfigError.unreadableFile(path: path, reason: reason(for: errno))
            }
        }
        guard filled <= maximumFileBytes else { throw ConfigError.fileTooLarge(path: path) }
        guard let text = String(validating: bytes[..<filled], as: UTF8.self) else {
            throw ConfigError.unreadableFile(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }

    /// Why opening or reading failed, as a clause.
    private static func reason(for code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR: "no such file"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "it is a directory"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
