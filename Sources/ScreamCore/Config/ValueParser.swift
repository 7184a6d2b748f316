/// Turns text from a flag, an environment variable or a YAML file into a typed value, or
/// throws a ``ConfigError/invalidValue(setting:value:source:expected:)`` naming the source.
enum ValueParser {
    /// A finite plain decimal number (see ``NumberText/value(of:)``).
    static func number(_ text: String, setting: String, source: ConfigSource) throws -> Double {
        guard let value = NumberText.value(of: text.trimmingWhitespace()), value.isFinite else {
            throw ConfigError.invalidValue(setting: setting, value: text, source: source, expected: "a finite number")
        }
        return value
    }

    /// A whole number that fits in 64 bits.
    static func integer(_ text: String, setting: String, source: ConfigSource) throws -> Int64 {
        guard let value = Int64(text.trimmingWhitespace()) else {
            throw ConfigError.invalidValue(setting: setting, value: text, source: source, expected: "a whole number")
        }
        return value
    }

    /// A duration of at least one 20 ms frame and at most the 10-minute cap.
    static func duration(_ text: String, setting: String, source: ConfigSource) throws -> Double {
        guard let seconds = DurationText.seconds(from: text), seconds.isFinite else {
            throw ConfigError.invalidValue(
                setting: setting, value: text, source: source, expected: "a duration such as 3s, 500ms, 1.5s or 1m30s")
        }
        guard seconds > 0 else {
            throw ConfigError.invalidValue(setting: setting, value: text, source: source, expected: "a duration above zero")
        }
        guard seconds >= ScreamParams.minimumDuration else {
            throw ConfigError.invalidValue(setting: setting, value: text, source: source, expected: "at least 20ms")
        }
        guard seconds <= DurationText.maximumSeconds else {
            throw ConfigError.invalidValue(setting: setting, value: text, source: source, expected: "at most 10m")
        }
        return seconds
    }

    /// A yes/no value: `true`/`false`, `yes`/`no`, `on`/`off` or `1`/`0`.
    static func boolean(_ text: String, setting: String, source: ConfigSource) throws -> Bool {
        switch text.trimmingWhitespace().lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            throw ConfigError.invalidValue(
                setting: setting, value: text, source: source, expected: "true, false, yes, no, on, off, 1 or 0")
        }
    }

    /// One of a fixed set of words.
    static func choice<Value: RawRepresentable<String> & CaseIterable>(
        _ text: String, as type: Value.Type, setting: String, source: ConfigSource
    ) throws -> Value {
        guard let value = Value(rawValue: text.trimmingWhitespace().lowercased()) else {
            let names = Value.allCases.map(\.rawValue)
            let expected = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
            throw ConfigError.invalidValue(setting: setting, value: text, source: source, expected: expected)
        }
        return value
    }
}
