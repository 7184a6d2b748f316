/// Where a server listens: an IP address (or `localhost`) and a port, as `HOST:PORT`.
///
/// IPv6 hosts go in brackets (`[::1]:9464`). Port 0 asks the system for a free port. Host
/// names other than `localhost` are refused so that the address never depends on DNS.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IPv4 or IPv6 address, without brackets, or `localhost`.
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int

    /// An address from its parts; no checks are made.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; `nil` for anything else.
    public init?(_ text: String) {
        let text = text.trimmingWhitespace()
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            guard Self.isIPv6(host) else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            guard host == "localhost" || Self.isIPv4(host) else { return nil }
        }
        guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), let number = Int(port), number <= 65535 else {
            return nil
        }
        self.host = String(host)
        self.port = number
    }

    /// `HOST:PORT`, with an IPv6 host in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Four dot-separated decimal numbers from 0 to 255.
    private static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && Int(part).map { $0 <= 255 } == true
        }
    }

    /// Hex groups separated by colons, with at most one `::`.
    private static func isIPv6(_ text: Substring) -> Bool {
        guard text.contains(":"), !text.contains(":::"), text.allSatisfy({ $0.isHexDigit || $0 == ":" }) else {
            return false
        }
        let compressed = text.ranges(of: "::").count
        guard compressed <= 1 else { return false }
        let groups = text.split(separator: ":", omittingEmptySubsequences: true)
        guard groups.allSatisfy({ $0.count <= 4 }) else { return false }
        return compressed == 1 ? groups.count < 8 : groups.count == 8
    }
}

extension Character {
    /// `0` through `9` only, unlike `isNumber`.
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
