import DiscordVoice
import ScreamCore

/// What one `/scream` asked for: its four optional options, checked.
///
/// Discord enforces the choices and ranges of the registered command in its client, but
/// an interaction is untrusted input all the same, so every value is checked again here.
public struct ScreamOrder: Sendable, Equatable {
    /// Which scream: a named preset, a random one, or (neither given) the bot's default.
    public enum Pick: Sendable, Equatable {
        /// The bot's default preset, or a random scream when it has none.
        case standard
        /// A named preset.
        case preset(Preset)
        /// A random scream.
        case random
    }

    /// The largest seed an integer option can carry: Discord integers stop at 2^53.
    public static let largestSeed: UInt64 = (1 << 53) - 1

    /// The preset option.
    public var pick: Pick
    /// The duration option in seconds.
    public var duration: Double?
    /// The seed option.
    public var seed: UInt64?
    /// The volume option, 0 to 1.
    public var volume: Double?

    /// An order with the given options.
    public init(pick: Pick = .standard, duration: Double? = nil, seed: UInt64? = nil, volume: Double? = nil) {
        self.pick = pick
        self.duration = duration
        self.seed = seed
        self.volume = volume
    }

    /// Reads the options of an application command's `data.options`; an option out of
    /// range is refused with a sentence that gives the range.
    public init(options: [JSONValue], maxDuration: Double) throws(Refusal) {
        self.init()
        for option in options {
            guard let name = option["name"]?.string, let value = option["value"] else { continue }
            switch name {
            case "preset":
                let text = value.string ?? ""
                if text == "random" {
                    pick = .random
                } else if let preset = Preset(rawValue: text) {
                    pick = .preset(preset)
                } else {
                    throw .badOption(name, expected: "one of \(Self.presetChoices.joined(separator: ", "))")
                }
            case "duration":
                guard let seconds = value.double, seconds.isFinite,
                    (Settings.shortestBotScream...maxDuration).contains(seconds)
                else {
                    throw .badOption(
                        name, expected: "from \(NumberText.text(for: Settings.shortestBotScream)) to \(NumberText.text(for: maxDuration)) seconds")
                }
                duration = seconds
            case "seed":
                guard let number = value.int, number >= 0, UInt64(number) <= Self.largestSeed else {
                    throw .badOption(name, expected: "a whole number from 0 to \(Self.largestSeed)")
                }
                seed = UInt64(number)
            case "volume":
                guard let level = value.double, level.isFinite, (0...1).contains(level) else {
                    throw .badOption(name, expected: "a number from 0 to 1")
                }
                volume = level
            default:
                throw .badOption(name, expected: "no such option: /scream takes preset, duration, seed and volume")
            }
        }
    }

    /// The names the preset option offers: every preset, then `random`.
    public static var presetChoices: [String] { Preset.allCases.map(\.rawValue) + ["random"] }

    /// The scream to play, at most `maxDuration` long.
    ///
    /// A random scream without a seed option draws one from `randomSeed`, so that the reply
    /// can say how to play it again.
    public func recipe(
        defaultPreset: Preset?, maxDuration: Double,
        randomSeed: () -> UInt64 = { UInt64.random(in: 1...UInt64(UInt32.max)) }
    ) throws -> ScreamRecipe {
        var settings = Settings()
        switch pick {
        case .standard: settings.preset = defaultPreset
        case .preset(let preset): settings.preset = preset
        case .random: settings.preset = nil
        }
        settings.seed = seed ?? (settings.preset == nil ? randomSeed() : nil)
        settings.duration = duration
        settings.volume = volume
        let recipe = try ScreamRecipe.resolve(settings: settings, parameterFile: nil)
        guard recipe.params.duration > maxDuration else { return recipe }
        settings.duration = maxDuration
        return try ScreamRecipe.resolve(settings: settings, parameterFile: nil)
    }

    /// The `/scream …` line that plays `recipe` again, whatever the bot's default preset.
    public func replay(of recipe: ScreamRecipe) -> String {
        var parts = ["/scream"]
        switch recipe.origin {
        case .preset(let preset):
            parts.append("preset:\(preset.rawValue)")
            if let seed { parts.append("seed:\(seed)") }
        case .random(let seed):
            parts.append("preset:random")
            parts.append("seed:\(seed)")
        case .parameterFile:
            break
        }
        if let duration { parts.append("duration:\(NumberText.text(for: duration))") }
        if let volume { parts.append("volume:\(NumberText.text(for: volume))") }
        return parts.joined(separator: " ")
    }
}
