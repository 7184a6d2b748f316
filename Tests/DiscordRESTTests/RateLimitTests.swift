import DiscordREST
import FakeDiscord
import Testing

@Suite("Rate limits and retries against the fake Discord")
struct RateLimitTests {
    private typealias Routes = FakeDiscord.RESTRoute

    @Test func rateLimitedRequestIsRetriedNoEarlierThanRetryAfter() async throws {
        try await withClient { fake, client in
            fake.rest.inject(.rateLimited(retryAfter: .milliseconds(300)), route: "PUT " + Routes.globalCommands)
            try await client.overwriteGlobalCommands(application: applicationID, [screamCommand])
            let requests = fake.rest.requests(to: "PUT " + Routes.globalCommands)
            #expect(requests.map(\.status) == [429, 200])
            #expect(requests[1].arrival - requests[0].arrival >= .milliseconds(300))
        }
    }

    /// A shared REST proxy (twilight-http-proxy, nirn-proxy) answers 429 without Discord's
    /// `X-RateLimit-*` headers; 2 s is longer than the 1 s the client waits when told nothing.
    @Test(arguments: [(header: true, body: false), (header: false, body: true)])
    func aProxysBare429IsRetriedNoEarlierThanItAsks(_ carries: (header: Bool, body: Bool)) async throws {
        try await withClient { fake, client in
            fake.rest.inject(.proxyRateLimited(retryAfter: .seconds(2), header: carries.header, body: carries.body), route: Routes.currentUser)
            _ = try await client.currentUser()
            let requests = fake.rest.requests(to: Routes.currentUser)
            #expect(requests.map(\.status) == [429, 200])
            #expect(requests.count == 2 && requests[1].arrival - requests[0].arrival >= .seconds(2))
        }
    }

    @Test func exhaustedBucketDelaysTheNextRequestUntilItResets() async throws {
        let options = FakeDiscord.Options(rest: .init(bucketSize: 1, bucketResetAfter: .milliseconds(400)))
        try await withClient(options) { fake, client in
            _ = try await client.currentUser()
            _ = try await client.currentUser()
            let requests = fake.rest.requests(to: Routes.currentUser)
            #expect(requests.map(\.status) == [200, 200])
            #expect(requests[1].arrival - requests[0].arrival >= .milliseconds(400))
        }
    }

    @Test func bucketsAreSplitByMajorParameter() async throws {
        let options = FakeDiscord.Options(rest: .init(bucketSize: 1, bucketResetAfter: .seconds(30)))
        try await withClient(options) { fake, client in
            try await client.respond(toInteraction: "700000000000000011", token: "tok-1", with: .deferred())
            try await client.respond(toInteraction: "700000000000000012", token: "tok-2", with: .deferred())
            #expect(fake.rest.requests(to: Routes.interactionCallback).map(\.status) == [204, 204])
        }
    }

    @Test func globalRateLimitPausesOtherRoutesButNotInteractions() async throws {
        let logs = LogLines()
        try await withClient(logs: logs) { fake, client in
            fake.rest.inject(.rateLimited(retryAfter: .seconds(4), scope: "global"), route: Routes.currentUser)
            async let user = client.currentUser()
            try await logs.waitFor("the client to see the global 429", timeout: .seconds(30)) { $0.contains("rate limited") }
            try await client.respond(toInteraction: "700000000000000013", token: "tok-3", with: .deferred())
            _ = try await client.gatewayBot()
            _ = try await user
            let users = fake.rest.requests(to: Routes.currentUser)
            #expect(users.map(\.status) == [429, 200])
            let callback = try #require(fake.rest.requests(to: Routes.interactionCallback).first)
            let gateway = try #require(fake.rest.requests(to: Routes.gatewayBot).first)
            #expect(gateway.arrival - users[0].arrival >= .seconds(4))
            #expect(users[1].arrival - users[0].arrival >= .seconds(4))
            #expect(callback.arrival < users[1].arrival)
        }
    }

    @Test func badGatewayIsRetriedThenSucceeds() async throws {
        try await withClient { fake, client in
            fake.rest.inject(.status(502), count: 2, route: Routes.gatewayBot)
            let gateway = try await client.gatewayBot()
            #expect(gateway.shards == 1)
            #expect(fake.rest.requests(to: Routes.gatewayBot).map(\.status) == [502, 502, 200])
        }
    }

    @Test func serverErrorsGiveUpAfterTheRetries() async throws {
        var configuration = quickRetries
        configuration.serverErrorRetries = 2
        try await withClient(configuration: configuration) { fake, client in
            fake.rest.inject(.status(502), count: 10)
            let error = await restError { _ = try await client.gatewayBot() }
            #expect(error == .serverError(route: "GET /gateway/bot", status: 502, attempts: 3))
            #expect(error?.description == "Discord kept failing GET /gateway/bot with HTTP 502 after 3 attempts.")
            #expect(fake.rest.requests.count == 3)
        }
    }

    @Test func rateLimitGiveUpIsItsOwnError() async throws {
        var configuration = quickRetries
        configuration.rateLimitRetries = 1
        try await withClient(configuration: configuration) { fake, client in
            fake.rest.inject(.rateLimited(retryAfter: .milliseconds(50)), count: 5)
            let error = await restError { _ = try await client.currentUser() }
            #expect(error?.description == "Discord kept rate limiting GET /users/@me after 2 attempts.")
            #expect(fake.rest.requests.map(\.status) == [429, 429])
        }
    }

    @Test func invalidRequestBudgetStopsEveryFurtherRequest() async throws {
        var configuration = quickRetries
        configuration.invalidRequestLimit = 3
        try await withClient(FakeDiscord.Options(rest: .init(commandsScope: false)), configuration: configuration) {
            fake, client in
            for _ in 0..<3 {
                let error = await restError { try await client.overwriteGlobalCommands(application: applicationID, []) }
                #expect(error == .forbidden(route: "PUT /applications/{application.id}/commands", APIError(code: 50001, message: "Missing Access")))
            }
            let error = await restError { _ = try await client.currentUser() }
            #expect(error == .invalidRequestLimitReached(count: 3, windowMinutes: 10))
            #expect(
                error?.description
                    == "Stopped calling Discord: 3 requests were refused (401, 403 or 429) in 10 minutes, and more would get this IP banned.")
            #expect(fake.rest.requests.count == 3)
        }
    }

    @Test func sharedScopeRateLimitsDoNotCountAsInvalid() async throws {
        var configuration = quickRetries
        configuration.invalidRequestLimit = 2
        try await withClient(configuration: configuration) { fake, client in
            fake.rest.inject(.rateLimited(retryAfter: .milliseconds(30), scope: "shared"), count: 3)
            _ = try await client.currentUser()
            _ = try await client.currentUser()
            #expect(fake.rest.requests.map(\.status) == [429, 429, 429, 200, 200])
        }
    }
}

@Suite("The global request limit against the fake Discord")
struct GlobalLimitTests {
    private typealias Routes = FakeDiscord.RESTRoute

    @Test func requestsBeyondTheGlobalLimitWaitForTheNextSecond() async throws {
        var configuration = quickRetries
        configuration.globalRequestsPerSecond = 2
        try await withClient(configuration: configuration) { fake, client in
            for _ in 0..<3 { _ = try await client.currentUser() }
            let requests = fake.rest.requests(to: Routes.currentUser)
            #expect(requests.map(\.status) == [200, 200, 200])
            #expect(requests[2].arrival - requests[0].arrival >= .seconds(1))
        }
    }

    @Test func interactionRoutesAreExemptFromTheGlobalLimit() async throws {
        var configuration = quickRetries
        configuration.globalRequestsPerSecond = 1
        try await withClient(configuration: configuration) { fake, client in
            _ = try await client.currentUser()
            async let first = client.gatewayBot()
            async let second = client.gatewayBot()
            async let third = client.gatewayBot()
            // Let the gateway requests queue first: a callback bound by the limit would then wait
            // behind all three, one second each.
            try await Task.sleep(for: .milliseconds(100))
            try await client.respond(toInteraction: "700000000000000031", token: "tok-g", with: .deferred())
            _ = try await (first, second, third)
            let user = try #require(fake.rest.requests(to: Routes.currentUser).first)
            let gateway = fake.rest.requests(to: Routes.gatewayBot).map(\.arrival).sorted()
            let callback = try #require(fake.rest.requests(to: Routes.interactionCallback).first)
            #expect(gateway.count == 3)
            #expect(try #require(gateway.last) - user.arrival >= .seconds(3))
            #expect(callback.arrival < gateway[2])
        }
    }
}
