/// The fuzz targets: each takes arbitrary bytes, hands them to the real decoders and checks only
/// that nothing crashes, hangs or leaks, plus cheap round trips (decode, encode, decode again).
///
/// The libFuzzer binary in `Fuzz/` calls ``run(_:)`` for every generated input and the
/// FuzzCorpusTests suite replays `Tests/Fuzz/Corpus/<target>/` and `Tests/Fuzz/Crashes/<target>/`
/// through the same function, so a crash once found stays fixed.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// MLS framing and ratchet trees: the first byte picks the message type, the rest is its TLS encoding.
    case mls
    /// Gateway and voice gateway JSON text frames and binary voice frames, as the clients decode them.
    case json
    /// DAVE binary opcodes 25 to 31 fed to a live `DAVE.Session`, driven by a small script.
    case dave
    /// Parameter files and config files: YAML text through ParameterFile and SettingsLoader.
    case config

    /// Runs the target on one input; traps if a round trip does not hold.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .mls: MLSFuzzing.run(bytes)
        case .json: JSONFuzzing.run(bytes)
        case .dave: DAVEFuzzing.run(bytes)
        case .config: ConfigFuzzing.run(bytes)
        }
    }
}
