import Testing
@testable import ScreamCore

@Suite struct ConfigDurationTests {
    @Test(arguments: [
        ("3s", 3.0), ("500ms", 0.5), ("1.5s", 1.5), ("1m30s", 90.0), ("2m", 120.0), ("1h", 3600.0),
        ("3", 3.0), (" 2s ", 2.0), ("1m0.5s", 60.5), ("250ms", 0.25), (".5s", 0.5), ("1e3ms", 1.0),
        ("1h2m3s4ms", 3723.004), ("1m500ms", 60.5), ("+2", 2.0), ("1e2", 100.0),
    ])
    func durationTextReadsEveryDocumentedForm(text: String, seconds: Double) {
        #expect(DurationText.seconds(from: text) == seconds)
    }

    @Test(arguments: [
        "", "s", "abc", "3x", "3 s", "1m30", "ms", "-3s", "3s-", "1.2.3s", "0x10", "0x1p3", "0x10s", "3s3s", "1s1m",
        "500ms1s", "1m1m", "1h1h", "inf", "nan", "1e", "e3", ".", "+3s", "1_000",
    ])
    func durationTextRejectsMalformedText(text: String) {
        #expect(DurationText.seconds(from: text) == nil)
    }

    @Test(arguments: [3.0, 0.5, 3.321734589123, 600.0, 1e-05, 2.9999999999999996])
    func durationTextWritesWhatItReadsBack(seconds: Double) {
        let text = DurationText.text(for: seconds)
        #expect(DurationText.seconds(from: text) == seconds)
    }

    @Test func wholeSecondsAreWrittenWithoutADecimalPoint() {
        #expect(DurationText.text(for: 3) == "3s")
        #expect(DurationText.text(for: 1.5) == "1.5s")
    }

    @Test func durationOverTheTenMinuteCapIsRejectedNamingTheSource() {
        #expect(throws: ConfigError.invalidValue(
            setting: "duration", value: "10m1s", source: .flag("--duration"), expected: "at most 10m")
        ) {
            try ValueParser.duration("10m1s", setting: "duration", source: .flag("--duration"))
        }
        #expect((try? ValueParser.duration("10m", setting: "duration", source: .flag("--duration"))) == 600)
    }

    @Test func zeroDurationIsRejected() {
        let error = #expect(throws: ConfigError.self) {
            try ValueParser.duration("0s", setting: "duration", source: .environment("SCREAM_DURATION"))
        }
        #expect(error?.description == "invalid duration '0s' from environment variable SCREAM_DURATION: expected a duration above zero.")
    }

    @Test(arguments: ["1e-300", "10ms", "0.0199", "19ms"])
    func durationShorterThanOneFrameIsRejected(text: String) {
        #expect(throws: ConfigError.invalidValue(
            setting: "duration", value: text, source: .flag("--duration"), expected: "at least 20ms")
        ) {
            try ValueParser.duration(text, setting: "duration", source: .flag("--duration"))
        }
    }

    @Test func oneFrameIsTheShortestDuration() throws {
        #expect(try ValueParser.duration("20ms", setting: "duration", source: .flag("--duration")) == 0.02)
        var params = Preset.classic.params
        params.duration = 0.02
        try params.validate()
        params.duration = 0.0199
        #expect(throws: ParamsError.outOfRange(field: "duration", value: "0.0199", expected: "from 0.02 s (one 20 ms frame) to 600 s")) {
            try params.validate()
        }
    }

    @Test(arguments: [(3.0, "3s"), (3.084744622586907, "3.08s"), (0.5, "0.5s"), (1.05, "1.05s"), (59.999, "60s")])
    func roundedDurationShowsHundredths(seconds: Double, text: String) {
        #expect(DurationText.rounded(seconds) == text)
    }
}
