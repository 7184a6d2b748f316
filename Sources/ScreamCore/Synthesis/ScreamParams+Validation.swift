/// A parameter value the synthesizer cannot use; the field is named by its parameter-file key.
public enum ParamsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The value is NaN or infinite.
    case notFinite(field: String, value: Double)
    /// The value is a number, but outside what the field allows (`expected` says what that is).
    case outOfRange(field: String, value: String, expected: String)

    /// One sentence naming the field, its value and what it must be.
    public var description: String {
        switch self {
        case let .notFinite(field, value):
            "\(field) is \(value), but it must be a finite number."
        case let .outOfRange(field, value, expected):
            "\(field) is \(value), but it must be \(expected)."
        }
    }
}

extension ScreamParams {
    /// The shortest scream: one 20 ms Opus frame.
    public static let minimumDuration = 0.02

    /// The largest `|duration × rate|` for any per-second rate, so step counters stay exact.
    static let maxSteps = 0x1p52

    /// Checks every field against design §3: duration ≥ 20 ms, sampleRate > 0, channels 1 or 2,
    /// amplitudes in 0...1, cutoffs ≥ 0, crusher bits 1...16, limiter level in (0, 1], and
    /// no NaN or infinity anywhere. Also rejects values the formulas cannot evaluate
    /// (compressor ratio ≤ 0, negative attack or release, crusher mix outside 0...1).
    public func validate() throws(ParamsError) {
        let check = Check()
        try check.finite("duration", duration)
        try check.require("duration", duration, duration >= Self.minimumDuration, "at least 20ms")
        try check.require("sample_rate", Double(sampleRate), sampleRate > 0, "a positive number of hertz")
        try check.require(
            "duration", duration, duration * Double(sampleRate) < Self.maxSteps, "short enough to count its samples")
        try check.require("channels", Double(channels), channels == 1 || channels == 2, "1 or 2")

        let p = layers.primaryScream, h = layers.harmonicSweep, s = layers.highShriek
        for (name, layer) in [("primary_scream", p), ("high_shriek", s)] {
            let key = "layers.\(name)."
            try check.finite(key + "base_freq", layer.baseFreq)
            try check.finite(key + "freq_range", layer.freqRange)
            try check.rate(key + "jump_rate", layer.jumpRate, duration: duration)
            try check.amplitude(key + "amplitude", layer.amplitude)
            try check.finite(key + "rise", layer.rise)
        }
        try check.finite("layers.harmonic_sweep.base_freq", h.baseFreq)
        try check.finite("layers.harmonic_sweep.sweep_rate", h.sweepRate)
        try check.finite("layers.harmonic_sweep.freq_range", h.freqRange)
        try check.rate("layers.harmonic_sweep.jump_rate", h.jumpRate, duration: duration)
        try check.amplitude("layers.harmonic_sweep.amplitude", h.amplitude)
        try check.amplitude("layers.noise_burst.amplitude", layers.noiseBurst.amplitude)
        try check.amplitude("layers.background_noise.amplitude", layers.backgroundNoise.amplitude)

        try check.rate("noise.burst_rate", noise.burstRate, duration: duration)
        try check.finite("noise.threshold", noise.threshold)
        try check.amplitude("noise.burst_amp", noise.burstAmp)
        try check.amplitude("noise.floor_amp", noise.floorAmp)

        let f = filter
        try check.finite("filter.highpass_cutoff", f.highpassCutoff)
        try check.require("filter.highpass_cutoff", f.highpassCutoff, f.highpassCutoff >= 0, "0 or more hertz")
        try check.finite("filter.lowpass_cutoff", f.lowpassCutoff)
        try check.require("filter.lowpass_cutoff", f.lowpassCutoff, f.lowpassCutoff >= 0, "0 or more hertz")
        try check.require(
            "filter.crusher_bits", Double(f.crusherBits), (1...16).contains(f.crusherBits), "between 1 and 16")
        try check.finite("filter.crusher_mix", f.crusherMix)
        try check.require("filter.crusher_mix", f.crusherMix, (0...1).contains(f.crusherMix), "between 0 and 1")
        try check.finite("filter.comp_ratio", f.compRatio)
        try check.require("filter.comp_ratio", f.compRatio, f.compRatio > 0, "greater than 0")
        try check.finite("filter.comp_threshold", f.compThreshold)
        try check.finite("filter.comp_attack", f.compAttack)
        try check.require("filter.comp_attack", f.compAttack, f.compAttack >= 0, "0 or more milliseconds")
        try check.finite("filter.comp_release", f.compRelease)
        try check.require("filter.comp_release", f.compRelease, f.compRelease >= 0, "0 or more milliseconds")
        try check.finite("filter.volume_boost_db", f.volumeBoostDB)
        try check.finite("filter.limiter_level", f.limiterLevel)
        try check.require(
            "filter.limiter_level", f.limiterLevel, f.limiterLevel > 0 && f.limiterLevel <= 1,
            "greater than 0 and at most 1")
    }
}

/// The individual rules behind `ScreamParams.validate()`.
private struct Check {
    func finite(_ field: String, _ value: Double) throws(ParamsError) {
        guard value.isFinite else { throw .notFinite(field: field, value: value) }
    }

    func require(_ field: String, _ value: Double, _ ok: Bool, _ expected: String) throws(ParamsError) {
        guard ok else { throw .outOfRange(field: field, value: Self.format(value), expected: expected) }
    }

    func amplitude(_ field: String, _ value: Double) throws(ParamsError) {
        try finite(field, value)
        try require(field, value, (0...1).contains(value), "between 0 and 1")
    }

    func rate(_ field: String, _ value: Double, duration: Double) throws(ParamsError) {
        try finite(field, value)
        try require(
            field, value, abs(value * duration) < ScreamParams.maxSteps, "small enough to count its steps")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
