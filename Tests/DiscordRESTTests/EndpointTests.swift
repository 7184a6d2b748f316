import DiscordREST
import FakeDiscord
import Foundation
import Testing

@Suite("REST endpoints against the fake Discord")
struct EndpointTests {
    private typealias Routes = FakeDiscord.RESTRoute

    @Test func requestsCarryTheBotTokenUserAgentAndJSONContentType() async throws {
        try await withClient { fake, client in
            _ = try await client.currentUser()
            try await client.overwriteGlobalCommands(application: applicationID, [screamCommand])
            let get = try #require(fake.rest.requests(to: Routes.currentUser).first)
            let put = try #require(fake.rest.requests(to: "PUT " + Routes.globalCommands).first)
            for request in [get, put] {
                #expect(request.headers["authorization"] == "Bot <token>")
                #expect(request.headers["user-agent"] == "DiscordBot (https://github.com/scream/scream, 0.1.0)")
            }
            #expect(get.headers["content-type"] == nil)
            #expect(put.headers["content-type"] == "application/json")
            #expect(put.status == 200)
        }
    }

    @Test func currentUserIsTheBot() async throws {
        try await withClient { _, client in
            let user = try await client.currentUser()
            #expect(user.id == FakeDiscord.Sample.bot.id)
            #expect(user.username == FakeDiscord.Sample.bot.username)
            #expect(user.bot == true)
        }
    }

    @Test func gatewayBotReportsTheGatewayAndSessionStartLimit() async throws {
        let limit = FakeDiscord.SessionStartLimit(total: 1000, remaining: 997, resetAfter: 3_600_000, maxConcurrency: 1)
        try await withClient(FakeDiscord.Options(rest: .init(sessionStartLimit: limit))) { fake, client in
            let gateway = try await client.gatewayBot()
            #expect(fake.gatewayURL.hasPrefix(gateway.url + "/?"))
            #expect(gateway.shards == 1)
            #expect(
                gateway.sessionStartLimit
                    == .init(total: 1000, remaining: 997, resetAfter: 3_600_000, maxConcurrency: 1))
        }
    }

    @Test func globalCommandsRoundTripWithServerAssignedFieldsIgnored() async throws {
        try await withClient { fake, client in
            #expect(try await client.globalCommands(application: applicationID).isEmpty)
            let registered = try await client.overwriteGlobalCommands(application: applicationID, [screamCommand])
            let listed = try await client.globalCommands(application: applicationID)
            #expect(registered == listed)
            #expect(listed.map(\.definition) == [screamCommand])
            let command = try #require(listed.first)
            #expect(command.id != nil && command.version != nil)
            #expect(command.applicationID == applicationID)
            #expect(fake.rest.commands().count == 1)
        }
    }

    @Test func overwritingKeepsTheIdOfACommandWithTheSameName() async throws {
        try await withClient { _, client in
            let first = try await client.overwriteGlobalCommands(application: applicationID, [screamCommand])
            var changed = screamCommand
            changed.description = "Scream louder"
            let second = try await client.overwriteGlobalCommands(application: applicationID, [changed])
            #expect(first.first?.id == second.first?.id)
            #expect(first.first?.version != second.first?.version)
            #expect(try await client.globalCommands(application: applicationID).map(\.description) == ["Scream louder"])
        }
    }

    @Test func guildCommandsAreStoredPerGuild() async throws {
        try await withClient { fake, client in
            let guild = FakeDiscord.Sample.guildID
            let registered = try await client.overwriteGuildCommands(application: applicationID, guild: guild, [screamCommand])
            #expect(registered.first?.guildID == guild)
            #expect(try await client.guildCommands(application: applicationID, guild: guild).map(\.definition) == [screamCommand])
            #expect(try await client.globalCommands(application: applicationID).isEmpty)
            #expect(fake.rest.commands(guild: guild).count == 1)
        }
    }

    @Test func invalidCommandNameBecomesTheFieldErrorSentence() async throws {
        try await withClient { _, client in
            let error = await restError {
                try await client.overwriteGlobalCommands(
                    application: applicationID, [ApplicationCommand(name: "Scream", description: "x")])
            }
            #expect(
                error?.description
                    == "Discord refused PUT /applications/{application.id}/commands: Invalid Form Body (code 50035); 0.name: Command name is invalid.")
        }
    }

    @Test func immediateResponseIsStoredAsTheOriginal() async throws {
        try await withClient { fake, client in
            try await client.respond(toInteraction: "700000000000000001", token: "tok-a", with: .message("AAAAH", ephemeral: true))
            let record = try #require(fake.rest.interaction(token: "tok-a"))
            #expect(record.id == "700000000000000001")
            #expect(record.callbackType == 4)
            #expect(record.flags == 64)
            #expect(record.original == "AAAAH")
            let body = try #require(fake.rest.requests(to: Routes.interactionCallback).first?.body)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect((json["data"] as? [String: Any])?["allowed_mentions"] as? [String: [String]] == ["parse": []])
        }
    }

    @Test func secondCallbackIsRefusedAsAlreadyAcknowledged() async throws {
        try await withClient { fake, client in
            try await client.respond(toInteraction: "700000000000000002", token: "tok-b", with: .deferred())
            let error = await restError {
                try await client.respond(toInteraction: "700000000000000002", token: "tok-b", with: .message("again"))
            }
            #expect(
                error?.description
                    == "Discord refused POST /interactions/{interaction.id}/{interaction.token}/callback: Interaction has already been acknowledged (code 40060).")
            #expect(fake.rest.requests(to: Routes.interactionCallback).map(\.status) == [204, 400])
        }
    }

    @Test func deferredResponseIsEditedThenFollowedUp() async throws {
        try await withClient { fake, client in
            try await client.respond(toInteraction: "700000000000000003", token: "tok-c", with: .deferred(ephemeral: true))
            #expect(fake.rest.interaction(token: "tok-c")?.original == nil)
            #expect(fake.rest.interaction(token: "tok-c")?.flags == 64)
            let edited = try await client.editOriginalResponse(
                application: applicationID, token: "tok-c", MessagePayload(content: "Screaming in Party"))
            #expect(edited.content == "Screaming in Party")
            let followUp = try await client.createFollowUp(
                application: applicationID, token: "tok-c", MessagePayload(content: "Done", ephemeral: true))
            #expect(followUp.content == "Done")
            #expect(followUp.flags == 64)
            let record = try await fake.rest.waitForInteraction(token: "tok-c", timeout: .seconds(5)) { $0.followUps.count == 1 }
            #expect(record.original == "Screaming in Party")
            #expect(record.edits == 1)
            #expect(record.followUps == ["Done"])
        }
    }

    @Test func editingBeforeAnyCallbackIsUnknownWebhook() async throws {
        try await withClient { _, client in
            let error = await restError {
                try await client.editOriginalResponse(application: applicationID, token: "tok-d", MessagePayload(content: "x"))
            }
            #expect(
                error == .notFound(
                    route: "PATCH /webhooks/{application.id}/{interaction.token}/messages/@original",
                    APIError(code: 10015, message: "Unknown Webhook")))
            #expect(
                error?.description
                    == "Discord found nothing at PATCH /webhooks/{application.id}/{interaction.token}/messages/@original: Unknown Webhook (code 10015).")
        }
    }

    @Test func stageSpeakerRequestNamesTheChannelAndIsRefusedOutsideAStage() async throws {
        try await withClient { fake, client in
            let error = await restError {
                try await client.updateCurrentUserVoiceState(
                    guild: FakeDiscord.Sample.guildID, channel: FakeDiscord.Sample.lobbyChannelID, suppress: false)
            }
            #expect(
                error == .rejected(
                    route: "PATCH /guilds/{guild.id}/voice-states/@me", status: 400,
                    APIError(code: 50024, message: "Cannot execute action on this channel type")))
            let request = try #require(fake.rest.requests(to: Routes.currentUserVoiceState).first)
            #expect(request.path == "/guilds/\(FakeDiscord.Sample.guildID)/voice-states/@me")
            let body = try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any]
            #expect(body?["channel_id"] as? String == FakeDiscord.Sample.lobbyChannelID)
            #expect(body?["suppress"] as? Bool == false)
            #expect(body?.count == 2)
        }
    }
}
