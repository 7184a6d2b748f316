/// A Discord id (guild, channel, user): a 64-bit number sent as a decimal string.
public struct Snowflake: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The numeric id.
    public let rawValue: UInt64

    /// Wraps a numeric id.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses the decimal form; `nil` for anything else.
    public init?(_ text: String) {
        guard let value = UInt64(text) else { return nil }
        self.rawValue = value
    }

    /// The decimal form.
    public var description: String { String(rawValue) }

    /// The decimal form as a JSON string.
    public var json: JSONValue { .string(description) }

    /// Orders by numeric value.
    public static func < (lhs: Snowflake, rhs: Snowflake) -> Bool { lhs.rawValue < rhs.rawValue }
}
