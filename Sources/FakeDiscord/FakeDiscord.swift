import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A local Discord for tests: main gateway v10, voice gateway v8, the UDP voice server and
/// the HTTP API (`restURL`, see `rest`), speaking the real wire protocol over TLS on
/// 127.0.0.1 with ephemeral ports.
///
/// Start one per test, point the client at `gatewayURL` trusting `caFilePath` (or pass
/// `environment` to a `scream` subprocess), then read what happened from `recorder`.
/// Always `stop()` it (or use `withRunning`); stopping never waits more than a few seconds.
///
/// ```swift
/// let options = FakeDiscord.Options(faults: [.init(.voiceDrop, at: .afterFirstPacket(.seconds(1)))])
/// try await FakeDiscord.withRunning(options) { fake in
///     // run `scream play 200000000000000001` with fake.environment and DISCORD_TOKEN=Sample.token
///     try await fake.recorder.waitForLeave(timeout: .seconds(20))
///     #expect(fake.recorder.voiceResumes.first?.accepted == true)
/// }
/// ```
public final class FakeDiscord: Sendable {
    /// The options it runs with.
    public let options: Options
    /// Everything that happened, in order.
    public let recorder: Recorder
    /// `wss://127.0.0.1:PORT/?v=10&encoding=json`: where clients IDENTIFY.
    public let gatewayURL: String
    /// The resume_gateway_url READY announces: a second listener, so tests can tell resumes apart.
    public let resumeGatewayURL: String
    /// `127.0.0.1:PORT` as VOICE_SERVER_UPDATE sends it; reached at `wss://127.0.0.1:PORT/?v=8`.
    public let voiceEndpoint: String
    /// A second voice gateway, where a `voiceServerMove` fault sends the bot (and back again).
    public let secondVoiceEndpoint: String
    /// The UDP voice server's port, as voice READY sends it.
    public let udpPort: Int
    /// A PEM file holding the test CA that signed the fake's certificate.
    public let caFilePath: String
    /// `https://127.0.0.1:PORT/api/v10`: the HTTP API's base URL.
    public let restURL: String
    /// The HTTP API: its record of requests, stored commands and interactions, and fault knobs.
    public let rest: REST

    private let group: MultiThreadedEventLoopGroup
    private let world: World
    private let listeners: [NIOCore.Channel]
    private let stopping = Once()

    private init(
        options: Options, recorder: Recorder, group: MultiThreadedEventLoopGroup, world: World,
        listeners: [NIOCore.Channel], caFilePath: String, rest: REST
    ) {
        self.options = options
        self.recorder = recorder
        self.group = group
        self.world = world
        self.listeners = listeners
        self.caFilePath = caFilePath
        self.gatewayURL = world.gatewayURL
        self.resumeGatewayURL = world.resumeGatewayURL
        self.voiceEndpoint = world.voiceEndpoint
        self.secondVoiceEndpoint = world.secondVoiceEndpoint
        self.udpPort = world.udpPort
        self.rest = rest
        // The HTTPS API listener is bound last, after the gateways, the voice servers and UDP.
        self.restURL = "https://127.0.0.1:\(listeners.last?.localAddress?.port ?? 0)/api/v10"
    }

    /// Starts the gateway, resume, voice, UDP and HTTPS API listeners on ephemeral 127.0.0.1 ports.
    public static func start(_ options: Options = Options()) async throws -> FakeDiscord {
        let caFilePath = try writeCAFile()
        let tls: NIOSSLContext
        do {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(TestCertificates.serverCertificatePEM.utf8))
                    .map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(TestCertificates.serverKeyPEM.utf8), format: .pem)))
            configuration.minimumTLSVersion = .tlsv12
            tls = try NIOSSLContext(configuration: configuration)
        } catch {
            throw FakeDiscordError.tlsSetup("\(error)")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let recorder = Recorder()
        let loops = Array(group.makeIterator())
        let world = World(loop: loops[0], options: options, recorder: recorder)
        let rest = REST(options: options, world: world)
        var listeners: [NIOCore.Channel] = []
        do {
            for viaResumeURL in [false, true] {
                listeners.append(
                    try await WebSocketServer.bind(group: loops[0], tls: tls) { uri in
                        GatewaySession(world: world, viaResumeURL: viaResumeURL, uri: uri)
                    })
            }
            for server in 0..<2 {
                listeners.append(
                    try await WebSocketServer.bind(group: loops[0], tls: tls) { _ in
                        VoiceGatewaySession(world: world, server: server)
                    })
            }
            listeners.append(try await bindUDP(on: loops[1], world: world))
            listeners.append(try await RESTServer.bind(group: loops[0], tls: tls, rest: rest))
        } catch {
            for listener in listeners { try? await listener.close() }
            try? await group.shutdownGracefully()
            try? FileManager.default.removeItem(atPath: (caFilePath as NSString).deletingLastPathComponent)
            throw error
        }
        let ports = listeners.map { $0.localAddress?.port ?? 0 }
        try await world.loop.submit {
            world.gatewayURL = "wss://127.0.0.1:\(ports[0])/?v=10&encoding=json"
            world.resumeGatewayURL = "wss://127.0.0.1:\(ports[1])"
            world.voiceEndpoint = "127.0.0.1:\(ports[2])"
            world.secondVoiceEndpoint = "127.0.0.1:\(ports[3])"
            world.udpPort = ports[4]
        }.get()
        rest.setGatewayURL("wss://127.0.0.1:\(ports[0])")
        return FakeDiscord(
            options: options, recorder: recorder, group: group, world: world, listeners: listeners,
            caFilePath: caFilePath, rest: rest)
    }

    /// Starts a fake, runs `body` with it, and stops it whether `body` returns or throws.
    public static func withRunning<T>(
        _ options: Options = Options(), _ body: (FakeDiscord) async throws -> T
    ) async throws -> T {
        let fake = try await start(options)
        do {
            let result = try await body(fake)
            await fake.stop()
            return result
        } catch {
            await fake.stop()
            throw error
        }
    }

    /// Environment for a `scream` subprocess: SCREAM_GATEWAY_URL, SCREAM_API_URL and SCREAM_CA_FILE.
    public var environment: [String: String] {
        ["SCREAM_GATEWAY_URL": gatewayURL, "SCREAM_API_URL": restURL, "SCREAM_CA_FILE": caFilePath]
    }

    /// Injects a fault now, on the current gateway or voice connection.
    public func inject(_ fault: Fault) async {
        let world = self.world
        try? await world.loop.submit { world.inject(fault) }.get()
    }

    /// Sends the READY that ``Options/holdsReady`` held back (and every later one at once).
    public func releaseReady() async {
        let world = self.world
        try? await world.loop.submit { world.releaseReady() }.get()
    }

    /// Moves guild member `userID` into voice channel `channelID` (nil: out of voice) and
    /// dispatches the VOICE_STATE_UPDATE, with the member object, to the bot's gateway session.
    ///
    /// - Returns: false when the guild or member is unknown or no gateway session exists.
    @discardableResult
    public func moveMember(_ userID: String, in guildID: String = Sample.guildID, to channelID: String?) async -> Bool {
        let world = self.world
        return (try? await world.loop.submit { world.moveMember(userID, in: guildID, to: channelID) }.get()) ?? false
    }

    /// Dispatches INTERACTION_CREATE as Discord does when guild member `userID` runs slash command
    /// `command` (type 2 APPLICATION_COMMAND, with member, roles, permissions and a fresh token).
    ///
    /// - Returns: the interaction's id and token, or nil when the guild or member is unknown or no
    ///   gateway session exists.
    public func sendInteraction(
        guildID: String = Sample.guildID, channelID: String = Sample.textChannelID, userID: String = Sample.humanID,
        command: String = "scream", options: [CommandOption] = []
    ) async -> SentInteraction? {
        let world = self.world
        return try? await world.loop.submit {
            world.interaction(guildID: guildID, channelID: channelID, userID: userID, command: command, options: options)
        }.get()
    }

    /// Dispatches event `name` with `data` (the JSON text of `d`) on the bot's gateway sessions:
    /// with a `guild_id` in `data`, only on those whose shard owns that guild.
    ///
    /// - Returns: false when `data` is not JSON or no such gateway session exists.
    @discardableResult
    public func dispatch(_ name: String, data: String) async -> Bool {
        let world = self.world
        return (try? await world.loop.submit {
            guard let value = JSONValue(parsing: data) else { return false }
            return world.dispatchToSessions(name, value, guild: value["guild_id"]?.string)
        }.get()) ?? false
    }

    /// Sends a JSON message `{"op", "d", "seq"}` on the current voice connection; `data` is the JSON text of `d`.
    ///
    /// - Returns: false when no identified voice connection exists or `data` is not JSON.
    @discardableResult
    public func sendVoiceJSON(op: Int, data: String) async -> Bool {
        let world = self.world
        return (try? await world.loop.submit {
            guard let session = world.currentVoice?.session, let value = JSONValue(parsing: data) else { return false }
            session.sendJSON(op: op, value)
            return true
        }.get()) ?? false
    }

    /// Sends a binary message `[seq u16 BE][op][payload]` on the current voice connection.
    ///
    /// - Returns: false when no identified voice connection exists.
    @discardableResult
    public func sendVoiceBinary(op: UInt8, payload: [UInt8]) async -> Bool {
        let world = self.world
        return (try? await world.loop.submit {
            guard let session = world.currentVoice?.session else { return false }
            session.sendBinary(op: op, payload)
            return true
        }.get()) ?? false
    }

    /// Closes every socket and listener and stops the event loop; safe to call twice.
    ///
    /// Waits at most five seconds; a loop that will not stop by then is left to the process.
    public func stop() async {
        guard stopping.claim() else { return }
        let group = self.group
        let listeners = self.listeners
        let caDirectory = (caFilePath as NSString).deletingLastPathComponent
        let finished = Once()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Task {
                for listener in listeners { try? await listener.close() }
                try? await group.shutdownGracefully()
                if finished.claim() { continuation.resume() }
            }
            Task {
                try? await Task.sleep(for: .seconds(5))
                if finished.claim() { continuation.resume() }
            }
        }
        try? FileManager.default.removeItem(atPath: caDirectory)
    }

    private static func writeCAFile() throws -> String {
        let directory = NSTemporaryDirectory() + "fake-discord-" + randomHex(8)
        let path = directory + "/ca.pem"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(TestCertificates.caPEM.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw FakeDiscordError.tlsSetup("writing \(path) failed: \(error)")
        }
        return path
    }

    /// The UDP socket's receive buffer: at hundreds of streams (25,000 datagrams a second) the
    /// default 208 KiB holds under 10 ms of traffic, so one late wake-up of the loop would drop
    /// packets. The kernel caps it at `net.core.rmem_max`.
    static let udpReceiveBuffer = 4 << 20

    private static func bindUDP(on loop: EventLoop, world: World) async throws -> NIOCore.Channel {
        do {
            return try await DatagramBootstrap(group: loop)
                .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(udpReceiveBuffer))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(UDPVoiceHandler(world: world))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
        } catch {
            throw FakeDiscordError.bindFailed("UDP: \(error)")
        }
    }
}

/// A flag that lets exactly one of several racers through.
private final class Once: Sendable {
    private let claimed = Mutex(false)

    /// True for the first caller only.
    func claim() -> Bool {
        claimed.withLock { wasClaimed in
            defer { wasClaimed = true }
            return !wasClaimed
        }
    }
}
