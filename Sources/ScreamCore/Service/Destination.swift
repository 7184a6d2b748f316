/// Where a generated scream goes.
public enum Destination: Sendable, Equatable {
    /// A file, written beside itself under a temporary name and renamed when complete.
    case file(String)
    /// Standard output (`-`).
    case standardOutput

    /// The file name used when no output is given: `scream.ogg` or `scream.wav`.
    public static func defaultPath(for format: AudioFormat) -> String {
        "scream.\(format.rawValue)"
    }

    /// Picks the destination and the format for `path` (`-` for standard output).
    ///
    /// The format is `explicitFormat` (from `--format`), else the one the extension names,
    /// else `fallbackFormat` (config or environment), else Ogg. An explicit format that
    /// contradicts the extension is an error, and so is an empty path.
    public static func resolve(
        path: String?, explicitFormat: AudioFormat?, fallbackFormat: AudioFormat?
    ) throws -> (Destination, AudioFormat) {
        guard let path else {
            let format = explicitFormat ?? fallbackFormat ?? .ogg
            return (.file(defaultPath(for: format)), format)
        }
        if path.isEmpty {
            throw ServiceError.emptyOutputPath
        }
        if path == "-" {
            return (.standardOutput, explicitFormat ?? fallbackFormat ?? .ogg)
        }
        guard let named = AudioFormat(path: path) else {
            return (.file(path), explicitFormat ?? fallbackFormat ?? .ogg)
        }
        if let explicitFormat, explicitFormat != named {
            throw ServiceError.formatContradictsExtension(format: explicitFormat, path: path)
        }
        return (.file(path), named)
    }
}
