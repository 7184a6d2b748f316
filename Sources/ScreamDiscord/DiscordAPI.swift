import DiscordREST
import Logging

/// Discord's HTTP API as `play` and `bot` reach it: one User-Agent, the configured base URL
/// and CA file.
enum DiscordAPI {
    /// The repository the User-Agent names, as Discord asks of bots.
    static let repositoryURL = "https://github.com/scream-bot/scream"

    /// `DiscordBot (repository, version)`.
    static func userAgent(version: String) -> String {
        RESTClient.userAgent(url: repositoryURL, version: version)
    }

    /// A client for `endpoints`; `timeout`, when given, bounds connecting and each request
    /// instead of the client's defaults. A malformed API URL or CA file is an input error.
    static func client(
        token: String, endpoints: DiscordEndpoints, version: String, timeout: Duration? = nil, logger: Logger
    ) throws(PlayError) -> RESTClient {
        var configuration = RESTClient.Configuration()
        if let timeout {
            configuration.connectTimeout = timeout
            configuration.requestTimeout = timeout
        }
        do {
            return try RESTClient(
                token: token, baseURL: endpoints.apiURL, caFile: endpoints.caFile, userAgent: userAgent(version: version),
                configuration: configuration, logger: logger)
        } catch {
            throw .api(error)
        }
    }
}
