/// Durations written as text: `3s`, `500ms`, `1.5s`, `1m30s`, `2m`, or a bare number of seconds.
///
/// Units are `h`, `m`, `s` and `ms`, each at most once and in that order; the parts add up
/// (`1m30s` is 90 seconds). Numbers are plain decimals (see ``NumberText/value(of:)``).
public enum DurationText {
    /// The longest scream `scream` renders: 10 minutes.
    public static let maximumSeconds: Double = 600

    /// Parses `text` into seconds, or returns `nil` when it is not a duration.
    ///
    /// Only the form is checked here; range checks (positive, at most the cap) belong to the caller.
    public static func seconds(from text: String) -> Double? {
        let characters = Array(text.trimmingWhitespace().unicodeScalars)
        guard !characters.isEmpty else { return nil }
        if let bare = NumberText.value(of: String(String.UnicodeScalarView(characters))) {
            return bare
        }
        var total = 0.0
        var index = 0
        var previousUnit = -1
        while index < characters.count {
            let numberStart = index
            while index < characters.count, isNumberCharacter(characters[index], previous: index > numberStart ? characters[index - 1] : nil) {
                index += 1
            }
            let unitStart = index
            while index < characters.count, characters[index].properties.isAlphabetic {
                index += 1
            }
            guard numberStart < unitStart, unitStart < index,
                let number = NumberText.value(of: String(String.UnicodeScalarView(characters[numberStart..<unitStart]))),
                let unit = units.firstIndex(where: { $0.name == String(String.UnicodeScalarView(characters[unitStart..<index])) }),
                unit > previousUnit
            else { return nil }
            previousUnit = unit
            total += number * units[unit].seconds
        }
        return total
    }

    /// Formats `seconds` so that ``seconds(from:)`` reads back exactly the same value.
    public static func text(for seconds: Double) -> String {
        NumberText.text(for: seconds) + "s"
    }

    /// Formats `seconds` for people, to the hundredth: `3s`, `3.08s`.
    public static func rounded(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100).rounded())
        let fraction = hundredths % 100
        guard fraction != 0 else { return "\(hundredths / 100)s" }
        let digits = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
        return "\(hundredths / 100).\(digits)s"
    }

    /// The units in the order they must come, with their length in seconds.
    private static let units: [(name: String, seconds: Double)] = [("h", 3600), ("m", 60), ("s", 1), ("ms", 0.001)]

    /// Digits, a decimal point, and an exponent (`1e-05`) are part of a number.
    private static func isNumberCharacter(_ c: Unicode.Scalar, previous: Unicode.Scalar?) -> Bool {
        switch c {
        case "0"..."9", ".": true
        case "e", "E": previous.map { ("0"..."9").contains($0) } ?? false
        case "+", "-": previous == "e" || previous == "E"
        default: false
        }
    }
}

/// Numbers as config text: read as plain decimals, written so they read back exactly.
public enum NumberText {
    /// The value of a plain decimal number: an optional sign, digits with at most one decimal
    /// point (`12`, `1.5`, `.5`, `5.`) and an optional exponent (`1e3`, `2.5E-4`); `nil` for
    /// anything else, such as hexadecimal (`0x10`), `inf` or `nan`.
    public static func value(of text: String) -> Double? {
        let bytes = Array(text.utf8)
        var index = 0
        func skipDigits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
        func skip(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        _ = skip("+-")
        var digits = skipDigits()
        if skip(".") {
            digits += skipDigits()
        }
        guard digits > 0 else { return nil }
        if skip("eE") {
            _ = skip("+-")
            guard skipDigits() > 0 else { return nil }
        }
        guard index == bytes.count else { return nil }
        return Double(text)
    }

    /// Whole numbers without a decimal point (`500`), others in Swift's shortest exact form (`0.4`).
    public static func text(for value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return "\(Int64(value))"
        }
        return "\(value)"
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
