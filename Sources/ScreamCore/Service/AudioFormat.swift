/// The container a scream is written in.
public enum AudioFormat: String, CaseIterable, Sendable {
    /// Ogg Opus (RFC 7845).
    case ogg
    /// 16-bit PCM WAV.
    case wav

    /// The format a file extension stands for (`ogg`, `opus`, `oga`, `wav`, `wave`), if any.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "ogg", "opus", "oga": self = .ogg
        case "wav", "wave": self = .wav
        default: return nil
        }
    }

    /// The format the extension of the last component of `path` stands for, if any.
    public init?(path: String) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard let fileExtension = name.split(separator: ".", omittingEmptySubsequences: false).dropFirst().last else {
            return nil
        }
        self.init(fileExtension: String(fileExtension))
    }
}
