/// Reads and writes scream parameter files (`--params FILE`, `--print-params`).
///
/// Every key is optional: keys that are missing keep the value of the base parameters (the
/// chosen preset, or classic). Unknown keys are errors that name the key. ``yaml(for:)``
/// writes the same format, so printed parameters read back to identical values.
public enum ParameterFile {
    /// Reads the file at `path` over `base`.
    public static func load(path: String, over base: ScreamParams) throws -> ScreamParams {
        try apply(YAMLMapping.load(path: path), to: base)
    }

    /// Parses YAML `text` over `base`; `path` only names the text in errors.
    public static func parse(_ text: String, path: String, over base: ScreamParams) throws -> ScreamParams {
        try apply(YAMLMapping.parse(text, path: path), to: base)
    }

    /// The parameters as YAML, every key present.
    public static func yaml(for params: ScreamParams) -> String {
        Field.block(Schema.top, of: params, indent: "").joined(separator: "\n") + "\n"
    }

    private static func apply(_ mapping: YAMLMapping, to base: ScreamParams) throws -> ScreamParams {
        var params = base
        try Field.read(Schema.top, from: mapping, into: &params)
        return params
    }
}

/// The shape of a parameter file: each key, where its value lives in ``ScreamParams``, and how
/// it is read and written.
private enum Schema {
    typealias P = ScreamParams

    static var top: [Field<P>] {
        [
            .duration("duration", \.duration),
            .count("sample_rate", \.sampleRate),
            .count("channels", \.channels),
            .integer("seed", \.seed),
            .section("layers", \.layers, layers),
            .section("noise", \.noise, noise),
            .section("filter", \.filter, filter),
        ]
    }

    static var layers: [Field<P.Layers>] {
        [
            .section("primary_scream", \.primaryScream, sweepJump),
            .section("harmonic_sweep", \.harmonicSweep, harmonic),
            .section("high_shriek", \.highShriek, sweepJump),
            .section("noise_burst", \.noiseBurst, [.number("amplitude", \.amplitude), .integer("seed", \.seed)]),
            .section("background_noise", \.backgroundNoise, [.number("amplitude", \.amplitude)]),
        ]
    }

    static var sweepJump: [Field<P.SweepJump>] {
        [
            .number("base_freq", \.baseFreq), .number("freq_range", \.freqRange), .number("jump_rate", \.jumpRate),
            .number("amplitude", \.amplitude), .number("rise", \.rise), .integer("seed", \.seed),
        ]
    }

    static var harmonic: [Field<P.HarmonicSweep>] {
        [
            .number("base_freq", \.baseFreq), .number("sweep_rate", \.sweepRate), .number("freq_range", \.freqRange),
            .number("jump_rate", \.jumpRate), .number("amplitude", \.amplitude), .integer("seed", \.seed),
        ]
    }

    static var noise: [Field<P.Noise>] {
        [
            .number("burst_rate", \.burstRate), .number("threshold", \.threshold), .number("burst_amp", \.burstAmp),
            .number("floor_amp", \.floorAmp), .integer("burst_seed", \.burstSeed),
        ]
    }

    static var filter: [Field<P.Filter>] {
        [
            .number("highpass_cutoff", \.highpassCutoff), .number("lowpass_cutoff", \.lowpassCutoff),
            .count("crusher_bits", \.crusherBits), .number("crusher_mix", \.crusherMix),
            .number("comp_ratio", \.compRatio), .number("comp_threshold", \.compThreshold),
            .number("comp_attack", \.compAttack), .number("comp_release", \.compRelease),
            .number("volume_boost_db", \.volumeBoostDB), .number("limiter_level", \.limiterLevel),
        ]
    }
}

/// One key of a parameter file: a single value, or a section holding more keys.
private struct Field<Root> {
    /// How a key prints: `key: 3`, `key: {a: 1, b: 2}`, or `key:` followed by indented keys.
    enum Kind { case value, flatSection, nestedSection }

    let key: String
    let kind: Kind
    let read: (inout Root, YAMLMapping) throws -> Void
    /// The value as YAML: one line for values and flat sections, indented lines for nested ones.
    let write: (Root, String) -> [String]

    static func value(
        _ key: String, _ parse: @escaping (String, ConfigSource) throws -> (inout Root) -> Void, _ text: @escaping (Root) -> String
    ) -> Field {
        Field(
            key: key, kind: .value,
            read: { root, mapping in
                if let text = try mapping.scalar(key) { try parse(text, mapping.source(key))(&root) }
            },
            write: { root, _ in [text(root)] })
    }

    static func number(_ key: String, _ path: WritableKeyPath<Root, Double>) -> Field {
        value(key, { text, source in
            let number = try ValueParser.number(text, setting: "value", source: source)
            return { $0[keyPath: path] = number }
        }, { NumberText.text(for: $0[keyPath: path]) })
    }

    static func integer(_ key: String, _ path: WritableKeyPath<Root, Int64>) -> Field {
        value(key, { text, source in
            let number = try ValueParser.integer(text, setting: "value", source: source)
            return { $0[keyPath: path] = number }
        }, { "\($0[keyPath: path])" })
    }

    static func count(_ key: String, _ path: WritableKeyPath<Root, Int>) -> Field {
        value(key, { text, source in
            let number = try ValueParser.integer(text, setting: "value", source: source)
            guard let count = Int(exactly: number) else {
                throw ConfigError.invalidValue(setting: "value", value: text, source: source, expected: "a whole number")
            }
            return { $0[keyPath: path] = count }
        }, { "\($0[keyPath: path])" })
    }

    static func duration(_ key: String, _ path: WritableKeyPath<Root, Double>) -> Field {
        value(key, { text, source in
            let seconds = try ValueParser.duration(text, setting: "duration", source: source)
            return { $0[keyPath: path] = seconds }
        }, { DurationText.text(for: $0[keyPath: path]) })
    }

    static func section<Sub>(_ key: String, _ path: WritableKeyPath<Root, Sub>, _ fields: [Field<Sub>]) -> Field {
        let isFlat = fields.allSatisfy { $0.kind == .value }
        return Field(
            key: key, kind: isFlat ? .flatSection : .nestedSection,
            read: { root, mapping in
                guard let nested = try mapping.mapping(key) else { return }
                try Field<Sub>.read(fields, from: nested, into: &root[keyPath: path])
            },
            write: { root, indent in
                let sub = root[keyPath: path]
                guard isFlat else { return Field<Sub>.block(fields, of: sub, indent: indent + "  ") }
                return ["{" + fields.map { "\($0.key): \($0.write(sub, "")[0])" }.joined(separator: ", ") + "}"]
            })
    }

    static func read(_ fields: [Field], from mapping: YAMLMapping, into root: inout Root) throws {
        try mapping.rejectUnknownKeys(allowed: fields.map(\.key))
        for field in fields {
            try field.read(&root, mapping)
        }
    }

    /// Writes `fields` one per line at `indent`, aligning the values of flat sections.
    static func block(_ fields: [Field], of root: Root, indent: String) -> [String] {
        let flatWidth = fields.filter { $0.kind == .flatSection }.map(\.key.count).max() ?? 0
        return fields.flatMap { field -> [String] in
            let lines = field.write(root, indent)
            switch field.kind {
            case .value:
                return ["\(indent)\(field.key): \(lines[0])"]
            case .flatSection:
                let padding = String(repeating: " ", count: flatWidth - field.key.count)
                return ["\(indent)\(field.key):\(padding) \(lines[0])"]
            case .nestedSection:
                return ["\(indent)\(field.key):"] + lines
            }
        }
    }
}

extension ScreamParams {
    /// The Ogg stream serial number for this scream: a hash of its parameter file text, so
    /// the same scream gives the same bytes however it was asked for, and different screams
    /// get different serials (FNV-1a over the YAML, folded to 32 bits).
    public var streamSerial: Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ParameterFile.yaml(for: self).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int32(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
