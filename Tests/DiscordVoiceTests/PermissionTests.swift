import Testing

@testable import DiscordVoice

/// Discord's permission computation, channel limits and the auto-pick that uses them, without sockets.
@Suite struct PermissionTests {
    static let guildID = Snowflake(1)
    static let channel = Snowflake(10)
    static let owner = Snowflake(99)
    static let member = Snowflake(500)
    static let adminRole = Snowflake(2)
    static let djRole = Snowflake(3)
    static let mutedRole = Snowflake(4)

    /// A guild whose @everyone may view, connect and speak, with an admin role, a role holding
    /// Connect and Move Members, and a role holding nothing; `overwrites` go on channel 10.
    static func guild(overwrites: [PermissionOverwrite] = []) -> Guild {
        Guild(
            id: guildID, name: "Test",
            channels: [channel: GuildChannel(id: channel, name: "Voice", type: 2, overwrites: overwrites)],
            ownerID: owner,
            roles: [
                guildID: .voicePlayback, adminRole: .administrator, djRole: [.connect, .moveMembers], mutedRole: [],
            ])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let user: Snowflake
        let roles: [Snowflake]
        let overwrites: [PermissionOverwrite]
        let expected: Permissions
    }

    static let cases: [Case] = [
        Case(
            testDescription: "the owner has everything, even against a member deny", user: owner, roles: [],
            overwrites: [PermissionOverwrite(id: owner, target: .member, deny: .voicePlayback)], expected: .all),
        Case(
            testDescription: "an administrator role has everything and bypasses overwrites", user: member,
            roles: [adminRole], overwrites: [PermissionOverwrite(id: guildID, target: .role, deny: .voicePlayback)],
            expected: .all),
        Case(
            testDescription: "@everyone alone gives the base permissions", user: member, roles: [], overwrites: [],
            expected: .voicePlayback),
        Case(
            testDescription: "a role allow beats an @everyone deny", user: member, roles: [djRole],
            overwrites: [
                PermissionOverwrite(id: guildID, target: .role, deny: .connect),
                PermissionOverwrite(id: djRole, target: .role, allow: .connect),
            ],
            expected: [.viewChannel, .connect, .speak, .moveMembers]),
        Case(
            testDescription: "an @everyone deny holds for a member without the allowing role", user: member,
            roles: [mutedRole],
            overwrites: [
                PermissionOverwrite(id: guildID, target: .role, deny: .connect),
                PermissionOverwrite(id: djRole, target: .role, allow: .connect),
            ],
            expected: [.viewChannel, .speak]),
        Case(
            testDescription: "role overwrites apply together: an allow on one role beats a deny on another",
            user: member, roles: [djRole, mutedRole],
            overwrites: [
                PermissionOverwrite(id: mutedRole, target: .role, deny: .speak),
                PermissionOverwrite(id: djRole, target: .role, allow: .speak),
            ],
            expected: [.viewChannel, .connect, .speak, .moveMembers]),
        Case(
            testDescription: "a member overwrite deny beats a role allow", user: member, roles: [djRole],
            overwrites: [
                PermissionOverwrite(id: djRole, target: .role, allow: .speak),
                PermissionOverwrite(id: member, target: .member, deny: .speak),
            ],
            expected: [.viewChannel, .connect, .moveMembers]),
        Case(
            testDescription: "a member overwrite allow beats a role deny", user: member, roles: [mutedRole],
            overwrites: [
                PermissionOverwrite(id: mutedRole, target: .role, deny: .speak),
                PermissionOverwrite(id: member, target: .member, allow: .speak),
            ],
            expected: .voicePlayback),
        Case(
            testDescription: "without View Channel there is no Connect either", user: member, roles: [djRole],
            overwrites: [PermissionOverwrite(id: guildID, target: .role, deny: .viewChannel)], expected: []),
    ]

    @Test(arguments: cases) func permissionsFollowDiscordsAlgorithm(_ testCase: Case) {
        let guild = Self.guild(overwrites: testCase.overwrites)
        #expect(guild.permissions(of: testCase.user, roles: testCase.roles, in: Self.channel) == testCase.expected)
    }

    @Test func guildCreateYieldsRolesOwnerOverwritesLimitsAndTheBotsRoles() throws {
        let guild = try #require(
            Guild(guildCreate: [
                "id": "1", "name": "Test", "owner_id": "99",
                "roles": [["id": "1", "permissions": "3148800"], ["id": "3", "permissions": "17825792"]],
                "channels": [
                    [
                        "id": "10", "name": "Voice", "type": 2, "user_limit": 4, "parent_id": "20",
                        "permission_overwrites": [["id": "1", "type": 0, "allow": "0", "deny": "1048576"]],
                    ]
                ],
                "members": [["user": ["id": "500", "bot": true], "roles": ["3"]]],
                "voice_states": [
                    [
                        "user_id": "600", "channel_id": "10", "session_id": "x",
                        "member": ["user": ["id": "600"], "roles": ["3"]],
                    ]
                ],
            ]))
        #expect(guild.ownerID == Self.owner)
        #expect(guild.roles[Self.djRole] == [.connect, .moveMembers])
        #expect(guild.channels[Self.channel]?.userLimit == 4)
        #expect(guild.channels[Self.channel]?.parentID == Snowflake(20))
        #expect(guild.channels[Self.channel]?.overwrites == [PermissionOverwrite(id: Self.guildID, target: .role, deny: .connect)])
        #expect(guild.memberRoles[Self.member] == [Self.djRole])
        #expect(guild.memberRoles[Snowflake(600)] == [Self.djRole])
        let sendMessages = Permissions(rawValue: 1 << 11)
        #expect(guild.permissions(of: Self.member, in: Self.channel) == [.viewChannel, sendMessages, .speak, .moveMembers])
        #expect(guild.permissions(of: Snowflake(601), in: Self.channel) == [.viewChannel, sendMessages, .speak])
    }

    @Test func onAStageSpeakDoesNotCountAndMuteMembersLetsTheBotSpeak() {
        var guild = Self.guild(overwrites: [PermissionOverwrite(id: Self.guildID, target: .role, deny: .speak)])
        guild.channels[Self.channel]?.type = 13
        guild.roles[Self.djRole] = [.muteMembers]
        guild.memberRoles[Self.member] = [Self.mutedRole]
        #expect(guild.joinProblem(for: Self.member, in: Self.channel) == nil)
        #expect(!guild.maySpeak(onStage: Self.channel, as: Self.member))
        guild.memberRoles[Self.member] = [Self.djRole]
        #expect(guild.maySpeak(onStage: Self.channel, as: Self.member))
        guild.channels[Self.channel]?.overwrites.append(PermissionOverwrite(id: Self.djRole, target: .role, deny: .muteMembers))
        #expect(!guild.maySpeak(onStage: Self.channel, as: Self.member))
        guild.channels[Self.channel]?.type = 2
        #expect(guild.joinProblem(for: Self.member, in: Self.channel) == .missing(.speak))
    }

    @Test func aVoiceStateCarriesItsSuppressFlag() throws {
        let state = try #require(VoiceState(json: ["user_id": "600", "channel_id": "10", "session_id": "x", "suppress": true]))
        #expect(state.suppress)
        #expect(VoiceState(json: ["user_id": "600", "channel_id": "10", "session_id": "x"])?.suppress == false)
    }

    @Test func aChannelIsFullAtItsLimitCountingBotsUnlessTheBotMayMoveMembers() {
        var guild = Self.guild()
        guild.channels[Self.channel]?.userLimit = 2
        guild.apply(VoiceState(userID: Snowflake(600), channelID: Self.channel, sessionID: "a"))
        #expect(guild.occupants(of: Self.channel) == 1)
        #expect(!guild.isFull(Self.channel, for: .voicePlayback))
        guild.apply(VoiceState(userID: Snowflake(601), channelID: Self.channel, sessionID: "b", isBot: true))
        #expect(guild.occupants(of: Self.channel) == 2)
        #expect(guild.isFull(Self.channel, for: .voicePlayback))
        #expect(!guild.isFull(Self.channel, for: [.voicePlayback, .moveMembers]))
        #expect(guild.joinProblem(for: Self.member, in: Self.channel) == .full(limit: 2))
        guild.memberRoles[Self.member] = [Self.djRole]
        #expect(guild.joinProblem(for: Self.member, in: Self.channel) == nil)
    }

    @Test func autoPickSkipsFullAndForbiddenChannels() {
        let busy = Snowflake(11)
        let forbidden = Snowflake(12)
        let open = Snowflake(13)
        var guild = Self.guild()
        guild.channels[busy] = GuildChannel(id: busy, name: "Full", type: 2, userLimit: 3)
        guild.channels[forbidden] = GuildChannel(
            id: forbidden, name: "Staff", type: 2,
            overwrites: [PermissionOverwrite(id: Self.guildID, target: .role, deny: .speak)])
        guild.channels[open] = GuildChannel(id: open, name: "Open", type: 2)
        for (index, channel) in [busy, busy, busy, forbidden, forbidden, open].enumerated() {
            guild.apply(VoiceState(userID: Snowflake(UInt64(700 + index)), channelID: channel, sessionID: "s\(index)"))
        }
        #expect(guild.busiestVoiceChannel(excluding: Self.member) == open)
        #expect(guild.busiestVoiceChannel(excluding: Self.member, joinableOnly: false) == busy)
        guild.memberRoles[Self.member] = [Self.djRole]
        #expect(guild.busiestVoiceChannel(excluding: Self.member) == busy)
        guild.memberRoles[Self.member] = []
        guild.apply(VoiceState(userID: Snowflake(705), channelID: nil, sessionID: "s5"))
        #expect(guild.busiestVoiceChannel(excluding: Self.member) == nil)
        #expect(guild.busiestVoiceChannel(excluding: Self.member, joinableOnly: false) == busy)
    }

    @Test func missingPermissionsAreNamedInOneSentence() {
        let error = DiscordVoiceError.missingPermissions(
            [.viewChannel, .connect, .speak], channel: Self.channel, guild: Self.guildID)
        #expect(
            error.description
                == "The bot lacks the View Channel, Connect and Speak permissions in voice channel 10 of guild 1; "
                + "grant them to one of its roles or pick another channel.")
        #expect(
            DiscordVoiceError.missingPermissions(.speak, channel: Self.channel, guild: Self.guildID).description
                == "The bot lacks the Speak permission in voice channel 10 of guild 1; "
                + "grant it to one of its roles or pick another channel.")
        #expect(Permissions(json: "3148800") == [.viewChannel, Permissions(rawValue: 1 << 11), .connect, .speak])
    }
}
