import AsyncHTTPClient
import FakeDiscord
import Foundation
import NIOCore
import Testing

/// `scream bot --metrics`: the real binary against the fake Discord, scraped over plain HTTP
/// on 127.0.0.1 while it runs.
@Suite struct CLIBotOperationsTests {
    typealias Sample = FakeDiscord.Sample
    typealias Route = FakeDiscord.RESTRoute

    static let patience = CLIBotTests.patience
    /// `--metrics` on a port the system picks.
    static let anyPort = ["--metrics", "127.0.0.1:0"]

    @Test func metricsAfterAScreamCountItsInteractionScreamLatenessAndRESTRoutes() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: Self.anyPort)
            let metrics = try await MetricsEndpoint(bot: bot)
            try await bot.waitUntilRegistered()
            fake.rest.inject(.rateLimited(retryAfter: .milliseconds(100)), route: Route.interactionCallback)
            let sent = try #require(await fake.sendInteraction(options: [.init(name: "duration", value: .number(0.5))]))
            let done = try await fake.rest.waitForInteraction(token: sent.token, timeout: Self.patience) { $0.edits > 0 }
            #expect(done.original?.hasPrefix("screamed ") == true)
            try await fake.recorder.waitForLeave(timeout: Self.patience)
            try await fake.recorder.waitForClosingSilence(timeout: .seconds(5))

            // The fake records each request as it arrives; the bot counts it once the answer is in.
            let expected = Dictionary(grouping: fake.rest.requests.filter { $0.route != nil }) { RouteStatus($0.route!, $0.status) }
                .mapValues { Double($0.count) }
            let samples = try await metrics.scrape(until: "the REST counters to match the fake's requests") { samples in
                expected.allSatisfy { samples.value("scream_rest_requests_total", ["route": $0.key.route, "status": $0.key.status]) == $0.value }
                    && samples.value("scream_voice_sessions") == 0
            }
            #expect(samples.value("scream_interactions_total", ["outcome": "accepted"]) == 1)
            #expect(samples.all("scream_interactions_total").filter { $0.labels["outcome"] == "refused" }.isEmpty)
            #expect(samples.value("scream_screams_total", ["outcome": "played"]) == 1)
            #expect(samples.value("scream_screams_total", ["outcome": "stopped"]) == 0)
            #expect(samples.value("scream_screams_total", ["outcome": "failed"]) == 0)
            #expect(samples.value("scream_sender_lateness_seconds_count") == Double(fake.recorder.rtpPackets.count))
            #expect(samples.value("scream_sender_lateness_seconds_bucket", ["le": "+Inf"]) == Double(fake.recorder.rtpPackets.count))
            #expect(samples.value("scream_voice_sessions") == 0)
            #expect(samples.value("scream_rest_requests_total", ["route": Route.interactionCallback, "status": "429"]) == 1)
            #expect(samples.value("scream_rest_requests_total", ["route": Route.interactionCallback, "status": "204"]) == 1)
            #expect(samples.value("scream_rest_requests_total", ["route": Route.editOriginal, "status": "200"]) == 1)
            let limited = samples.all("scream_rest_rate_limited_total").filter { $0.labels["route"] == Route.interactionCallback }
            #expect(limited.map(\.value).reduce(0, +) == 1)
            // The one scream was looked up in the packet cache and rendered.
            #expect(samples.value("scream_packet_cache_hits_total") == 0)
            #expect(samples.value("scream_packet_cache_misses_total") == 1)
            let text = samples.text
            for secret in [Sample.token, sent.token, sent.id, sent.applicationID, Sample.guildID] {
                #expect(!text.contains(secret))
            }
            let result = try await bot.stop()
            #expect(result.status == 0)
        }
    }

    @Test func refusalsAreCountedByReasonAndScreamsCutShortAsStopped() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: Self.anyPort + ["--cooldown", "1m"])
            let metrics = try await MetricsEndpoint(bot: bot)
            try await bot.waitUntilRegistered()
            let long = FakeDiscord.CommandOption(name: "duration", value: .number(20))
            let first = try #require(await fake.sendInteraction(options: [long]))
            try await fake.recorder.waitForPackets(10, timeout: Self.patience)
            let second = try #require(await fake.sendInteraction(options: [long]))
            try await fake.rest.waitForInteraction(token: second.token, timeout: Self.patience) { $0.original != nil }
            let tooLong = try #require(await fake.sendInteraction(
                userID: CLIBotTests.partyHuman, options: [.init(name: "duration", value: .number(45))]))
            try await fake.rest.waitForInteraction(token: tooLong.token, timeout: Self.patience) { $0.original != nil }
            let playing = try await metrics.scrape(until: "one voice session") { $0.value("scream_voice_sessions") == 1 }
            #expect(playing.value("scream_interactions_total", ["outcome": "accepted"]) == 1)
            #expect(playing.value("scream_interactions_total", ["outcome": "refused", "reason": "cooling_down"]) == 1)
            #expect(playing.value("scream_interactions_total", ["outcome": "refused", "reason": "bad_option"]) == 1)
            await fake.inject(.gatewayInvalidSession(resumable: false))
            try await fake.rest.waitForInteraction(token: first.token, timeout: Self.patience) { $0.edits > 0 }
            let stopped = try await metrics.scrape(until: "the stopped scream") {
                $0.value("scream_screams_total", ["outcome": "stopped"]) == 1 && $0.value("scream_voice_sessions") == 0
            }
            #expect(stopped.value("scream_screams_total", ["outcome": "played"]) == 0)
            #expect(stopped.value("scream_sender_lateness_seconds_count").map { $0 > 0 } == true)
            _ = try await bot.stop()
        }
    }

    /// Heartbeats 30 s apart, so a machine that stalls for a few seconds makes no reconnect of its own.
    @Test func aGatewayReconnectCountsOneReconnectAndOneResumeOnShardZero() async throws {
        try await FakeDiscord.withRunning(FakeDiscord.Options(heartbeatInterval: .seconds(30))) { fake in
            let bot = try BotRun(fake: fake, arguments: Self.anyPort)
            let metrics = try await MetricsEndpoint(bot: bot)
            try await bot.waitUntilRegistered()
            let before = try await metrics.scrape()
            #expect((before.value("scream_gateway_reconnects_total", ["shard": "0"]) ?? 0) == 0)
            await fake.inject(.gatewayReconnect)
            try await fake.recorder.waitFor("the RESUME", timeout: Self.patience) { _ in !fake.recorder.resumes.isEmpty }
            let after = try await metrics.scrape(until: "the resume to be counted") {
                $0.value("scream_gateway_resumes_total", ["shard": "0"]) == 1
            }
            #expect(after.value("scream_gateway_reconnects_total", ["shard": "0"]) == 1)
            #expect(fake.recorder.identifies.count == 1)
            _ = try await bot.stop()
        }
    }

    @Test func healthzAnswers503UntilTheGatewayIsReadyAnd200After() async throws {
        try await FakeDiscord.withRunning(FakeDiscord.Options(holdsReady: true)) { fake in
            let bot = try BotRun(fake: fake, arguments: Self.anyPort)
            let metrics = try await MetricsEndpoint(bot: bot)
            try await fake.recorder.waitFor("the IDENTIFY", timeout: Self.patience) { _ in !fake.recorder.identifies.isEmpty }
            let waiting = try await metrics.get("/healthz")
            #expect(waiting.status == 503)
            #expect(waiting.body == "not ready: the gateway is not READY\n")
            await fake.releaseReady()
            try await bot.waitUntilRegistered()
            let ready = try await metrics.get("/healthz")
            #expect(ready.status == 200)
            #expect(ready.body == "ready\n")
            let result = try await bot.stop()
            #expect(result.status == 0)
        }
    }

    @Test func sigtermMidScreamStopsTheBotThenTheMetricsServerAndExitsZero() async throws {
        try await FakeDiscord.withRunning { fake in
            let bot = try BotRun(fake: fake, arguments: Self.anyPort)
            let metrics = try await MetricsEndpoint(bot: bot)
            try await bot.waitUntilRegistered()
            let sent = try #require(await fake.sendInteraction(options: [.init(name: "duration", value: .number(20))]))
            try await fake.recorder.waitForPackets(10, timeout: Self.patience)
            #expect(try await metrics.get("/healthz").status == 200)
            let result = try await bot.stop(signal: SIGTERM)
            #expect(result.status == 0)
            #expect(fake.rest.interaction(token: sent.token)?.original == "Stopped: the bot is shutting down.")
            try await fake.recorder.waitForLeave(timeout: .seconds(5))
            try await fake.recorder.waitForClosingSilence(timeout: .seconds(5))
            let closed = try await fake.recorder.waitFor("the gateway close", timeout: .seconds(5)) { events in
                events.contains { if case .gatewayClosed = $0 { true } else { false } }
            }
            let codes = closed.compactMap { event -> UInt16? in
                if case .gatewayClosed(_, .client, let code, _) = event { code } else { nil }
            }
            #expect(codes == [1000])
            let log = result.stderr
            let botStopped = try #require(log.range(of: "bot stopped"))
            let serverStopped = try #require(log.range(of: "metrics server stopped"))
            #expect(botStopped.upperBound <= serverStopped.lowerBound)
            await #expect(throws: (any Error).self) { try await metrics.get("/healthz") }
        }
    }

    /// A `--metrics` value, or the same in `SCREAM_METRICS`, that is no address.
    struct BadAddress: Sendable, CustomTestStringConvertible {
        var value: String
        var fromEnvironment = false
        var testDescription: String { (fromEnvironment ? "SCREAM_METRICS=" : "--metrics ") + value }
    }

    static let badAddresses: [BadAddress] = [
        BadAddress(value: "9464"), BadAddress(value: "127.0.0.1"), BadAddress(value: "127.0.0.1:65536"),
        BadAddress(value: "metrics.example:9464"), BadAddress(value: "256.0.0.1:9464"), BadAddress(value: "::1:9464"),
        BadAddress(value: "127.0.0.1:http", fromEnvironment: true),
    ]

    @Test(arguments: badAddresses)
    func aBadMetricsAddressExitsTwoWithOneSentenceBeforeConnecting(_ bad: BadAddress) async throws {
        try await FakeDiscord.withRunning { fake in
            let run = bad.fromEnvironment
                ? try BotRun(fake: fake, environment: ["SCREAM_METRICS": bad.value])
                : try BotRun(fake: fake, arguments: ["--metrics", bad.value])
            let result = try await run.finish()
            #expect(result.status == 2)
            let source = bad.fromEnvironment ? "environment variable SCREAM_METRICS" : "--metrics"
            #expect(
                result.stderr.split(separator: "\n").last.map(String.init)
                    == "error: invalid metrics address '\(bad.value)' from \(source): expected HOST:PORT with an IP address or localhost and a port from 0 to 65535, such as 127.0.0.1:9464.")
            #expect(fake.recorder.identifies.isEmpty)
        }
    }

    @Test func aMetricsPortInUseExitsOneBeforeTheSecondBotConnects() async throws {
        try await FakeDiscord.withRunning { fake in
            let first = try BotRun(fake: fake, arguments: Self.anyPort)
            let metrics = try await MetricsEndpoint(bot: first)
            try await first.waitUntilRegistered()
            let second = try BotRun(fake: fake, arguments: ["--metrics", metrics.address])
            let result = try await second.finish()
            #expect(result.status == 1)
            #expect(
                result.stderr.split(separator: "\n").last.map(String.init)
                    == "error: the metrics server cannot listen on \(metrics.address): Address already in use; give --metrics a free port on this machine, or 0 for any.")
            #expect(fake.recorder.identifies.count == 1)
            _ = try await first.stop()
        }
    }
}

/// A `(route, status)` pair as the metrics label it.
struct RouteStatus: Hashable {
    var route: String
    var status: String

    init(_ route: String, _ status: Int) {
        self.route = route
        self.status = String(status)
    }
}

/// The bot's operations endpoint, found from the address it logs.
struct MetricsEndpoint {
    /// `HOST:PORT` as the bot logged it.
    let address: String

    /// A client that fails at once on a refused connection instead of retrying until its timeout;
    /// it lives as long as the test process.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Waits for the bot to log where it serves and keeps that address.
    init(bot: BotRun) async throws {
        let marker = "serving /metrics and /healthz at http://"
        try await bot.waitForLog(marker)
        let rest = try #require(bot.log.range(of: marker).map { bot.log[$0.upperBound...] })
        address = String(rest.prefix { !$0.isWhitespace })
    }

    /// `GET path`: the status and the body as text.
    func get(_ path: String) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://\(address)\(path)")
        request.method = .GET
        let response = try await Self.client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// `/metrics` once, parsed.
    func scrape() async throws -> MetricSamples {
        let (status, body) = try await get("/metrics")
        #expect(status == 200)
        return MetricSamples(text: body)
    }

    /// Scrapes `/metrics` until `condition` holds on the samples, at most `timeout`, and returns the last ones.
    func scrape(
        until what: String, timeout: Duration = CLIBotTests.patience, _ condition: (MetricSamples) -> Bool
    ) async throws -> MetricSamples {
        let deadline = ContinuousClock.now + timeout
        while true {
            let samples = try await scrape()
            if condition(samples) { return samples }
            guard ContinuousClock.now < deadline else {
                throw FakeDiscordError.timedOut("\(what) in /metrics:\n\(samples.text)", timeout)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// The samples of one Prometheus text-format scrape.
struct MetricSamples {
    /// One `name{labels} value` line.
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let text: String
    let samples: [Sample]

    init(text: String) {
        self.text = text
        samples = text.split(separator: "\n").compactMap { line in
            line.hasPrefix("#") ? nil : Self.parse(Substring(line))
        }
    }

    /// The value of the series `name` with exactly `labels`, nil when it is not exported.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Every series of `name`.
    func all(_ name: String) -> [Sample] {
        samples.filter { $0.name == name }
    }

    /// `name{key="value",...} number`; label values may hold braces, spaces and escaped quotes.
    private static func parse(_ line: Substring) -> Sample? {
        var rest = line[...]
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let key = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                rest = rest.dropFirst()
                labels[key] = value
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { return nil }
            }
            rest = rest.dropFirst()
        }
        guard let value = Double(rest.trimmingCharacters(in: .whitespaces)) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }
}
