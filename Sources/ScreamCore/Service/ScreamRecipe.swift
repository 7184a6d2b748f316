/// The fully resolved parameters of one scream and where they came from.
public struct ScreamRecipe: Sendable, Equatable {
    /// Where the parameters came from, for logs and summaries.
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        /// A named preset.
        case preset(Preset)
        /// A parameter file read over a preset (or classic).
        case parameterFile(String)
        /// A random scream; the seed reproduces it.
        case random(seed: UInt64)

        public var description: String {
            switch self {
            case .preset(let preset): "preset \(preset.rawValue)"
            case .parameterFile(let path): "parameters \(path)"
            case .random(let seed): "seed \(seed)"
            }
        }
    }

    /// The validated parameters, with duration and volume applied.
    public let params: ScreamParams
    /// Where they came from.
    public let origin: Origin

    /// Resolves the scream the settings ask for.
    ///
    /// A parameter file is read over the preset (or classic); a preset alone is used as is;
    /// with neither the scream is random, seeded by `settings.seed` or by `randomSeed()`.
    /// A seed with a preset or parameter file becomes the global seed. Duration and volume
    /// are applied last, then the result is validated.
    public static func resolve(
        settings: Settings, parameterFile: String?,
        randomSeed: () -> UInt64 = { UInt64.random(in: 1...UInt64(UInt32.max)) }
    ) throws -> ScreamRecipe {
        var params: ScreamParams
        let origin: Origin
        if let parameterFile {
            params = try ParameterFile.load(path: parameterFile, over: (settings.preset ?? .classic).params)
            origin = .parameterFile(parameterFile)
        } else if let preset = settings.preset {
            params = preset.params
            origin = .preset(preset)
        } else {
            let seed = settings.seed ?? randomSeed()
            params = .random(seed: seed)
            origin = .random(seed: seed)
        }
        if let seed = settings.seed, origin != .random(seed: seed) {
            params.seed = Int64(bitPattern: seed)
        }
        if let duration = settings.duration {
            params = params.applyingDuration(duration)
        }
        if let volume = settings.volume {
            params = params.applyingVolume(volume)
        }
        try params.validate()
        return ScreamRecipe(params: params, origin: origin)
    }

    /// The same scream as 48 kHz stereo, the only format Discord voice carries.
    ///
    /// `play` and its dry run use this whatever sample rate and channel count the parameters ask for.
    public var forDiscord: ScreamRecipe {
        var params = self.params
        params.sampleRate = 48_000
        params.channels = 2
        return ScreamRecipe(params: params, origin: origin)
    }
}
