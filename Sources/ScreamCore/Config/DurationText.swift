/// Durations written as text: `3s`, `500ms`, `1.5s`, `1m30s`, `2m`, or a bare number of seconds.
///
/// Units are `h`, `m`, `s` and `ms`; several parts add up (`1m30s` is 90 seconds).
public enum DurationText {
    /// The longest scream `scream` renders: 10 minutes.
    public static let maximumSeconds: Double = 600

    /// Parses `text` into seconds, or returns `nil` when it is not a duration.
    ///
    /// Only the form is checked here; range checks (positive, at most the cap) belong to the caller.
    public static func seconds(from text: String) -> Double? {
        let characters = Array(text.trimmingWhitespace().unicodeScalars)
        guard !characters.isEmpty else { return nil }
        if let bare = Double(String(String.UnicodeScalarView(characters))) {
            return bare
        }
        var total = 0.0
        var index = 0
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
                let number = Double(String(String.UnicodeScalarView(characters[numberStart..<unitStart]))),
                let scale = unitScale(String(String.UnicodeScalarView(characters[unitStart..<index])))
            else { return nil }
            total += number * scale
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

    private static func unitScale(_ unit: String) -> Double? {
        switch unit {
        case "h": 3600
        case "m": 60
        case "s": 1
        case "ms": 0.001
        default: nil
        }
    }

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

/// Numbers written so that `Double(text)` reads back exactly the same value.
enum NumberText {
    /// Whole numbers without a decimal point (`500`), others in Swift's shortest exact form (`0.4`).
    static func text(for value: Double) -> String {
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
