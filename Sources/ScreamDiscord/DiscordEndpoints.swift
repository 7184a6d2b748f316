import DiscordVoice

/// Where `play` and `bot` reach Discord, read from the environment: the gateway
/// (`SCREAM_GATEWAY_URL`), the HTTP API (`SCREAM_API_URL`) and extra trusted CAs (`SCREAM_CA_FILE`).
public struct DiscordEndpoints: Sendable, Hashable {
    /// Discord's HTTP API, version 10.
    public static let defaultAPIURL = "https://discord.com/api/v10"

    /// The main gateway URL.
    public var gatewayURL: String
    /// The HTTP API base URL.
    public var apiURL: String
    /// A PEM file of extra trusted CAs.
    public var caFile: String?

    /// Reads the three variables; an empty or malformed gateway URL is refused here, before any
    /// request goes out. An empty `SCREAM_API_URL` or `SCREAM_CA_FILE` counts as unset.
    public init(environment: [String: String]) throws(PlayError) {
        if environment["SCREAM_GATEWAY_URL"]?.isEmpty == true { throw .emptyGatewayURL }
        gatewayURL = environment["SCREAM_GATEWAY_URL"] ?? DiscordVoice.defaultGatewayURL
        do {
            _ = try WebSocketURL(gatewayURL)
        } catch {
            throw .discord(error)
        }
        apiURL = environment["SCREAM_API_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultAPIURL
        caFile = environment["SCREAM_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
