import DiscordREST
import FakeDiscord
import Testing

@Suite("REST errors against the fake Discord")
struct ErrorTests {
    @Test func missingAccessBecomesOneSentenceNamingTheRoute() async throws {
        try await withClient(FakeDiscord.Options(rest: .init(commandsScope: false))) { _, client in
            let error = await restError { try await client.overwriteGlobalCommands(application: applicationID, [screamCommand]) }
            #expect(
                error?.description == "Discord refused PUT /applications/{application.id}/commands: Missing Access (code 50001).")
        }
    }

    @Test func wrongTokenIsTheUnauthorizedSentence() async throws {
        try await withClient(token: "not-the-token.MTAw.wrong") { fake, client in
            let error = await restError { _ = try await client.currentUser() }
            #expect(error == .unauthorized(route: "GET /users/@me"))
            #expect(error?.description == "Discord rejected the bot token on GET /users/@me (401 Unauthorized): check that the token is current.")
            #expect(fake.rest.requests.first?.headers["authorization"] == "<other>")
        }
    }

    @Test func refusedConnectionIsATransportError() async throws {
        let fake = try await FakeDiscord.start()
        let url = fake.restURL
        let client = try RESTClient(
            token: FakeDiscord.Sample.token, baseURL: url, userAgent: testUserAgent, configuration: quickConnectFailure)
        await fake.stop()
        let error = await restError { _ = try await client.gatewayBot() }
        await client.shutdown()
        guard case .transport(let route, _) = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(route == "GET /gateway/bot")
        #expect(error?.description.hasPrefix("Could not reach Discord for GET /gateway/bot: ") == true)
    }

    @Test func untrustedCertificateIsATransportError() async throws {
        try await FakeDiscord.withRunning { fake in
            let client = try RESTClient(
                token: FakeDiscord.Sample.token, baseURL: fake.restURL, userAgent: testUserAgent, configuration: quickConnectFailure)
            let error = await restError { _ = try await client.currentUser() }
            await client.shutdown()
            guard case .transport(_, let reason) = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(reason.hasPrefix("the TLS handshake failed"))
            #expect(fake.rest.requests.isEmpty)
        }
    }

    @Test func unreadableCAFileIsNamed() {
        #expect(throws: DiscordRESTError.self) {
            try RESTClient(token: "t", caFile: "/nonexistent/ca.pem", userAgent: testUserAgent)
        }
        do {
            _ = try RESTClient(token: "t", caFile: "/nonexistent/ca.pem", userAgent: testUserAgent)
        } catch {
            #expect(error.description.hasPrefix("The CA file /nonexistent/ca.pem could not be used: "))
        }
    }

    @Test func relativeBaseURLIsRefused() {
        #expect(throws: DiscordRESTError.invalidBaseURL("discord.com/api")) {
            try RESTClient(token: "t", baseURL: "discord.com/api", userAgent: testUserAgent)
        }
    }

    @Test func tokensNeverReachErrorsOrLogs() async throws {
        let logs = LogLines()
        let interactionToken = "aW50ZXJhY3Rpb24tdG9rZW4tc2VjcmV0"
        var messages: [String] = []
        try await withClient(FakeDiscord.Options(rest: .init(commandsScope: false)), logs: logs) { fake, client in
            fake.rest.inject(.rateLimited(retryAfter: .milliseconds(30)), route: FakeDiscord.RESTRoute.interactionCallback)
            fake.rest.inject(.status(502), route: FakeDiscord.RESTRoute.editOriginal)
            try await client.respond(toInteraction: "700000000000000021", token: interactionToken, with: .deferred())
            for error in [
                await restError { try await client.respond(toInteraction: "700000000000000021", token: interactionToken, with: .deferred()) },
                await restError { try await client.editOriginalResponse(application: "1", token: interactionToken, MessagePayload(content: "x")) },
                await restError { try await client.createFollowUp(application: "1", token: interactionToken, MessagePayload(content: "x")) },
                await restError { try await client.overwriteGlobalCommands(application: applicationID, [screamCommand]) },
            ] {
                messages.append(try #require(error).description)
            }
        }
        try await withClient(token: "wrong-" + FakeDiscord.Sample.token, logs: logs) { _, client in
            messages.append(try #require(await restError { _ = try await client.currentUser() }).description)
        }
        #expect(messages.count == 5)
        #expect(logs.all.count >= 6)
        for text in messages + logs.all {
            #expect(!text.contains(FakeDiscord.Sample.token))
            #expect(!text.contains(interactionToken))
        }
    }
}
