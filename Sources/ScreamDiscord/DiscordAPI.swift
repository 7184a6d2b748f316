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

    /// The least time a one-shot command gives a request: a TLS exchange with the API on a slow
    /// link or a busy machine may take longer than a short connect timeout.
    static let shortestOneShotTimeout: Duration = .seconds(10)

    /// A client for `endpoints`. With `oneShotTimeout` (for `play`, which makes a request or
    /// two and exits) each request may take that long, but at least ``shortestOneShotTimeout``,
    /// and a refused connection fails at once instead of being retried; without it the
    /// client's defaults suit a long-running bot. A malformed API URL or CA file is an input error.
    static func client(
        token: String, endpoints: DiscordEndpoints, version: String, oneShotTimeout: Duration? = nil, logger: Logger
    ) throws(PlayError) -> RESTClient {
        var configuration = RESTClient.Configuration()
        if let oneShotTimeout {
            configuration.connectTimeout = max(oneShotTimeout, shortestOneShotTimeout)
            configuration.requestTimeout = max(oneShotTimeout, shortestOneShotTimeout)
            configuration.retriesFailedConnections = false
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
