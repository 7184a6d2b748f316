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
    /// The longest scream: 10 minutes.
    public static let maximumDuration = DurationText.maximumSeconds
    /// Sample rates from 8 kHz to 192 kHz (Ogg output needs 8, 12, 16, 24 or 48 kHz).
    public static let sampleRates = 8_000...192_000
    /// Filter cutoffs, in hertz.
    public static let cutoffs = 0.0...100_000
    /// Level growth of the sweep-jump layers, per second.
    public static let rises = -100.0...100
    /// The harmonic layer's frequency change, in hertz per second.
    public static let sweepRates = -100_000.0...100_000
    /// Compressor ratios: 1 (no compression) to 100.
    public static let compressorRatios = 1.0...100
    /// Compressor thresholds, in dBFS.
    public static let compressorThresholds = -120.0...0
    /// Compressor attack and release times, in milliseconds.
    public static let compressorTimes = 0.0...10_000
    /// The largest volume boost, in decibels.
    public static let maximumBoostDB = 60.0

    /// Checks every field against its documented range, so that any scream that passes
    /// renders with finite arithmetic from the first sample to the last.
    ///
    /// Frequencies (`base_freq`, `freq_range`) go from 0 to half the sample rate, rates of
    /// jumps and noise gates from 0 to the sample rate, and every amplitude from 0 to 1; the
    /// other ranges are the static properties above. NaN and infinity are refused everywhere.
    public func validate() throws(ParamsError) {
        let check = Check()
        try check.range("duration", duration, Self.minimumDuration...Self.maximumDuration, "from 0.02 s (one 20 ms frame) to 600 s")
        try check.require(
            "sample_rate", Double(sampleRate), Self.sampleRates.contains(sampleRate), "from 8000 to 192000 hertz")
        try check.require("channels", Double(channels), channels == 1 || channels == 2, "1 or 2")
        let nyquist = Double(sampleRate) / 2
        let frequencies = 0...nyquist, frequencyText = "from 0 to half the sample rate (\(Check.format(nyquist)) Hz)"
        let rates = 0...Double(sampleRate), rateText = "from 0 to the sample rate (\(sampleRate) per second)"

        let p = layers.primaryScream, h = layers.harmonicSweep, s = layers.highShriek
        for (name, layer) in [("primary_scream", p), ("high_shriek", s)] {
            let key = "layers.\(name)."
            try check.range(key + "base_freq", layer.baseFreq, frequencies, frequencyText)
            try check.range(key + "freq_range", layer.freqRange, frequencies, frequencyText)
            try check.range(key + "jump_rate", layer.jumpRate, rates, rateText)
            try check.amplitude(key + "amplitude", layer.amplitude)
            try check.range(key + "rise", layer.rise, Self.rises, "from -100 to 100 per second")
        }
        try check.range("layers.harmonic_sweep.base_freq", h.baseFreq, frequencies, frequencyText)
        try check.range(
            "layers.harmonic_sweep.sweep_rate", h.sweepRate, Self.sweepRates, "from -100000 to 100000 hertz per second")
        try check.range("layers.harmonic_sweep.freq_range", h.freqRange, frequencies, frequencyText)
        try check.range("layers.harmonic_sweep.jump_rate", h.jumpRate, rates, rateText)
        try check.amplitude("layers.harmonic_sweep.amplitude", h.amplitude)
        try check.amplitude("layers.noise_burst.amplitude", layers.noiseBurst.amplitude)
        try check.amplitude("layers.background_noise.amplitude", layers.backgroundNoise.amplitude)

        try check.range("noise.burst_rate", noise.burstRate, rates, rateText)
        try check.range("noise.threshold", noise.threshold, 0...1, "between 0 and 1")
        try check.amplitude("noise.burst_amp", noise.burstAmp)
        try check.amplitude("noise.floor_amp", noise.floorAmp)

        let f = filter
        try check.range("filter.highpass_cutoff", f.highpassCutoff, Self.cutoffs, "from 0 to 100000 hertz")
        try check.range("filter.lowpass_cutoff", f.lowpassCutoff, Self.cutoffs, "from 0 to 100000 hertz")
        try check.require(
            "filter.crusher_bits", Double(f.crusherBits), (1...16).contains(f.crusherBits), "between 1 and 16")
        try check.range("filter.crusher_mix", f.crusherMix, 0...1, "between 0 and 1")
        try check.range("filter.comp_ratio", f.compRatio, Self.compressorRatios, "from 1 to 100")
        try check.range("filter.comp_threshold", f.compThreshold, Self.compressorThresholds, "from -120 to 0 dB")
        try check.range("filter.comp_attack", f.compAttack, Self.compressorTimes, "from 0 to 10000 milliseconds")
        try check.range("filter.comp_release", f.compRelease, Self.compressorTimes, "from 0 to 10000 milliseconds")
        try check.finite("filter.volume_boost_db", f.volumeBoostDB)
        try check.require("filter.volume_boost_db", f.volumeBoostDB, f.volumeBoostDB <= Self.maximumBoostDB, "at most 60 dB")
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

    func range(_ field: String, _ value: Double, _ allowed: ClosedRange<Double>, _ expected: String) throws(ParamsError) {
        try finite(field, value)
        try require(field, value, allowed.contains(value), expected)
    }

    func amplitude(_ field: String, _ value: Double) throws(ParamsError) {
        try range(field, value, 0...1, "between 0 and 1")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
