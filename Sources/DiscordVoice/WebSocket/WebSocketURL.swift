import Foundation

/// Where a WebSocket lives: scheme, host, port and request target.
public struct WebSocketURL: Sendable, Hashable, CustomStringConvertible {
    /// Whether the connection uses TLS (`wss`).
    public var secure: Bool
    /// Host name or IP literal.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Path and query sent in the upgrade request.
    public var target: String

    /// Parses `ws://` or `wss://` URLs; default ports 80 and 443, default target `/`.
    public init(_ text: String) throws(DiscordVoiceError) {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "ws" || scheme == "wss",
            let host = components.host, !host.isEmpty
        else { throw .invalidURL(text) }
        secure = scheme == "wss"
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? (secure ? 443 : 80)
        guard (1...65535).contains(port) else { throw .invalidURL(text) }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        target = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    /// The voice gateway URL for an endpoint `host:port` sent by Discord: `wss://host:port/?v=8`.
    public static func voice(endpoint: String) throws(DiscordVoiceError) -> WebSocketURL {
        let bare = endpoint.replacingOccurrences(of: "wss://", with: "")
        return try WebSocketURL("wss://\(bare)/?v=8")
    }

    /// The value of the HTTP Host header.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// The URL as text.
    public var description: String {
        "\(secure ? "wss" : "ws")://\(hostHeader)\(target)"
    }
}
