import Testing
@testable import ScreamCore

/// Numbers in config text are plain decimals, and seeds are whole numbers that fit in 64 bits unsigned.
@Suite struct ConfigNumberTests {
    @Test(arguments: [("12", 12.0), ("1.5", 1.5), (".5", 0.5), ("5.", 5.0), ("1e3", 1000.0), ("-2.5E-1", -0.25), ("+4", 4.0)])
    func plainDecimalNumbersAreRead(text: String, value: Double) {
        #expect(NumberText.value(of: text) == value)
    }

    @Test(arguments: ["0x10", "0x1p4", "inf", "-infinity", "nan", "1_000", "1e", ".", "+", "", " 1", "1.2.3", "١٢"])
    func anythingElseIsNotANumber(text: String) {
        #expect(NumberText.value(of: text) == nil)
    }

    @Test func hexadecimalIsRejectedWhereverANumberIsRead() throws {
        #expect(throws: ConfigError.self) {
            try ParameterFile.parse("noise: {threshold: 0x1}\n", path: "p.yaml", over: Preset.classic.params)
        }
        var settings = Settings()
        #expect(throws: ConfigError.invalidValue(
            setting: "volume", value: "0x1", source: .flag("--volume"), expected: "a number from 0 to 1")
        ) {
            try settings.set(.volume, to: "0x1", from: .flag("--volume"))
        }
    }

    @Test(arguments: ["-1", "18446744073709551616", "abc", "1.5", "0x10"])
    func seedOutsideTheUnsigned64BitRangeIsRejected(text: String) {
        var settings = Settings()
        let error = #expect(throws: ConfigError.self) {
            try settings.set(.seed, to: text, from: .file(path: "c.yaml", key: "seed"))
        }
        #expect(error?.description == "invalid seed '\(text)' from key 'seed' in c.yaml: expected a whole number from 0 to 18446744073709551615.")
    }

    @Test(arguments: [("0", 0 as UInt64), ("18446744073709551615", .max), (" 42 ", 42)])
    func seedsFromZeroToTheLargestUnsigned64BitNumberAreRead(text: String, seed: UInt64) throws {
        var settings = Settings()
        try settings.set(.seed, to: text, from: .flag("--seed"))
        #expect(settings.seed == seed)
    }
}
