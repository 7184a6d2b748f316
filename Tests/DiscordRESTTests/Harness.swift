import DiscordREST
import FakeDiscord
import Logging
import Synchronization
import Testing

/// Every line a logger wrote, with its metadata, for checking that no secret reaches the logs.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var all: [String] { lines.withLock { $0 } }

    /// Waits, checking every 5 ms, until a line satisfies `condition`.
    func waitFor(_ what: String, timeout: Duration, _ condition: (String) -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !all.contains(where: condition) {
            if clock.now >= deadline { throw FakeDiscordError.timedOut(what, timeout) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// A trace-level logger writing here.
    func logger() -> Logger {
        Logger(label: "discord.rest.test") { _ in CollectingHandler(sink: self) }
    }
}

/// A swift-log handler that keeps each line in a `LogLines`.
struct CollectingHandler: LogHandler {
    let sink: LogLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.append("\(event.level) \(event.message) \(fields)")
    }
}

/// The user agent the tests send.
let testUserAgent = RESTClient.userAgent(url: "https://github.com/scream/scream", version: "0.1.0")

/// Quick retries, so tests of the retry paths stay fast.
let quickRetries = RESTClient.Configuration(serverErrorBackoff: .milliseconds(20), requestTimeout: .seconds(20))

/// Fails on the first failed connection, for the tests whose connections are meant to fail.
let quickConnectFailure = RESTClient.Configuration(retriesFailedConnections: false)

/// Runs `body` with a fake Discord and a client pointed at it; both are stopped afterwards.
func withClient<T>(
    _ options: FakeDiscord.Options = FakeDiscord.Options(), token: String = FakeDiscord.Sample.token,
    configuration: RESTClient.Configuration = quickRetries, logs: LogLines = LogLines(),
    _ body: (FakeDiscord, RESTClient) async throws -> T
) async throws -> T {
    try await FakeDiscord.withRunning(options) { fake in
        let client = try RESTClient(
            token: token, baseURL: fake.restURL, caFile: fake.caFilePath, userAgent: testUserAgent,
            configuration: configuration, logger: logs.logger())
        do {
            let result = try await body(fake, client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// The error `body` threw, nil when it returned.
func restError(_ body: () async throws -> Void) async -> DiscordRESTError? {
    do {
        try await body()
        return nil
    } catch let error as DiscordRESTError {
        return error
    } catch {
        Issue.record("expected a DiscordRESTError, got \(error)")
        return nil
    }
}

/// The sample application id: the bot user's id.
let applicationID = FakeDiscord.Sample.bot.id

/// The `/scream` command as a bot would register it.
let screamCommand = ApplicationCommand(
    name: "scream", description: "Scream into a voice channel",
    options: [
        .init(
            type: ApplicationCommand.Option.Kind.string, name: "preset", description: "Which scream",
            choices: [.init(name: "Classic", value: .string("classic")), .init(name: "Goat", value: .string("goat"))]),
        .init(
            type: ApplicationCommand.Option.Kind.number, name: "duration", description: "Seconds",
            minValue: 0.5, maxValue: 10),
    ],
    contexts: [ApplicationCommand.Context.guild], integrationTypes: [ApplicationCommand.IntegrationType.guildInstall])
