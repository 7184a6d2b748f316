import Foundation

/// A JSON document as a value: what the gateways send and receive.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number.
    case int(Int64)
    /// A number with a fraction.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// The member named `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The string when this is a string.
    public var string: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The integer when this is a whole number.
    public var int: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        default: return nil
        }
    }

    /// The number when this is numeric.
    public var double: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The flag when this is a boolean.
    public var bool: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// The elements when this is an array.
    public var array: [JSONValue]? {
        guard case .array(let value) = self else { return nil }
        return value
    }

    /// Whether this is JSON `null`.
    public var isNull: Bool { self == .null }

    /// A snowflake id, accepting the string form Discord uses and plain integers.
    public var snowflake: Snowflake? {
        switch self {
        case .string(let text): return Snowflake(text)
        case .int(let value) where value >= 0: return Snowflake(UInt64(value))
        default: return nil
        }
    }

    /// Parses UTF-8 JSON text.
    public static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Compact JSON text with sorted keys.
    public var serialized: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A copy with the values of `token` and `secret_key` members replaced, for logs.
    public var redacted: JSONValue {
        switch self {
        case .object(let members):
            var copy: [String: JSONValue] = [:]
            for (key, value) in members {
                copy[key] = JSONValue.secretKeys.contains(key) ? .string("[redacted]") : value.redacted
            }
            return .object(copy)
        case .array(let elements):
            return .array(elements.map(\.redacted))
        default:
            return self
        }
    }

    private static let secretKeys: Set<String> = ["token", "secret_key"]
}

extension JSONValue: Codable {
    /// Decodes any JSON value, keeping whole numbers exact.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value as written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    /// An object literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }

    /// An integer literal.
    public init(integerLiteral value: Int64) { self = .int(value) }

    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// An array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// The `null` literal.
    public init(nilLiteral: ()) { self = .null }
}
