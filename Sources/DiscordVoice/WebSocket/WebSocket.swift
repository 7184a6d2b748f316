#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// A client WebSocket over NIO: whole text and binary messages in, masked frames out.
///
/// Fragmented messages are reassembled, pings answered, and the peer's close code and reason
/// surfaced as the last event.
final class WebSocket: Sendable {
    /// What arrives from the peer.
    enum Event: Sendable, Equatable {
        case text(String)
        case binary([UInt8])
        /// The connection ended; `code` is nil when it dropped without a close frame.
        case closed(code: UInt16?, reason: String)
    }

    /// Messages in arrival order, ending with `.closed`.
    let events: AsyncStream<Event>
    private let channel: any Channel

    /// The largest frame, and the largest reassembled message, accepted from the peer:
    /// 64 MiB, since a large guild's GUILD_CREATE runs to several megabytes.
    static let maximumMessageSize = 64 << 20

    private init(channel: any Channel, events: AsyncStream<Event>) {
        self.channel = channel
        self.events = events
    }

    /// Connects and completes the upgrade, or throws a sentence-bearing error.
    static func connect(
        to url: WebSocketURL, tls: NIOSSLContext?, timeout: Duration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(DiscordVoiceError) -> WebSocket {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        let endpoint = url.description
        let eventLoop = group.next()
        let upgraded = eventLoop.makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if url.secure {
                        guard let tls else { throw DiscordVoiceError.invalidURL(endpoint) }
                        let hostname = url.host.isIPAddress ? nil : url.host
                        try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname))
                    }
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: Self.maximumMessageSize) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            let sync = channel.pipeline.syncOperations
                            try sync.addHandler(
                                NIOWebSocketFrameAggregator(
                                    minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                                    maxAccumulatedFrameSize: Self.maximumMessageSize))
                            try sync.addHandler(WebSocketFrameHandler(events: continuation))
                            upgraded.succeed()
                        }
                    }
                    try sync.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                context.pipeline.removeHandler(name: UpgradeRequestHandler.name, promise: nil)
                            }
                        ))
                    try sync.addHandler(
                        UpgradeRequestHandler(url: url, upgraded: upgraded), name: UpgradeRequestHandler.name)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            upgraded.fail(error)
            throw .connectionFailed(endpoint: endpoint, reason: describe(error))
        }
        let timer = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            upgraded.fail(DiscordVoiceError.connectionFailed(endpoint: endpoint, reason: "the upgrade timed out"))
        }
        defer { timer.cancel() }
        do {
            try await upgraded.futureResult.get()
        } catch let error as DiscordVoiceError {
            channel.close(promise: nil)
            throw error
        } catch {
            channel.close(promise: nil)
            throw .connectionFailed(endpoint: endpoint, reason: describe(error))
        }
        return WebSocket(channel: channel, events: events)
    }

    /// Hands each event to `handler` in arrival order, from a task of its own.
    func forwardEvents(to handler: @escaping @Sendable (Event) async -> Void) {
        let events = self.events
        Task {
            for await event in events { await handler(event) }
        }
    }

    /// Sends one text message.
    func send(text: String) async throws(DiscordVoiceError) {
        try await send(opcode: .text, data: channel.allocator.buffer(string: text))
    }

    /// Sends one binary message.
    func send(binary: [UInt8]) async throws(DiscordVoiceError) {
        try await send(opcode: .binary, data: channel.allocator.buffer(bytes: binary))
    }

    /// Sends a close frame, waits briefly for the peer's answer, then closes the socket.
    func close(code: UInt16 = 1000, reason: String = "") async {
        var data = channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.writeInteger(code)
        data.writeString(reason)
        try? await send(opcode: .connectionClose, data: data)
        let closed = channel.closeFuture
        let eventLoop = channel.eventLoop
        let forced = eventLoop.scheduleTask(in: .seconds(1)) { [channel] in channel.close(promise: nil) }
        try? await closed.get()
        forced.cancel()
    }

    /// Drops the TCP connection without a close frame.
    func abort() async {
        try? await channel.close()
    }

    private func send(opcode: WebSocketOpcode, data: ByteBuffer) async throws(DiscordVoiceError) {
        let frame = WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
        do {
            try await channel.writeAndFlush(frame)
        } catch {
            throw .connectionFailed(endpoint: "\(channel.remoteAddress.map { "\($0)" } ?? "peer")", reason: describe(error))
        }
    }
}

/// A short text for NIO and TLS errors.
func describe(_ error: any Error) -> String {
    switch error {
    case let error as DiscordVoiceError:
        return error.description
    case let error as NIOConnectionError:
        if let failure = error.connectionErrors.first { return describe(failure.error) }
        if error.dnsAError != nil || error.dnsAAAAError != nil { return "the host name \(error.host) did not resolve" }
        return "no address was found for \(error.host)"
    case let error as IOError:
        return String(cString: strerror(error.errnoCode)).lowercased()
    case ChannelError.connectTimeout:
        return "the connection timed out"
    default:
        return String(describing: error)
    }
}

extension TimeAmount {
    /// The same span as a NIO time amount.
    init(_ duration: Duration) {
        self = .nanoseconds(Int64(duration / .nanoseconds(1)))
    }
}

extension String {
    /// Whether this is an IPv4 or IPv6 literal (TLS then verifies the address, not a name).
    var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: self, port: 0)) != nil
    }
}

/// Sends the HTTP upgrade request and fails the upgrade when the server answers anything but 101.
private final class UpgradeRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    static let name = "discordvoice.upgrade-request"
    private let url: WebSocketURL
    private let upgraded: EventLoopPromise<Void>

    init(url: WebSocketURL, upgraded: EventLoopPromise<Void>) {
        self.url = url
        self.upgraded = upgraded
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: url.hostHeader)
        headers.add(name: "User-Agent", value: "DiscordBot (https://github.com/scream, 1.0)")
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.target, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let response) = unwrapInboundIn(data) {
            upgraded.fail(
                DiscordVoiceError.upgradeRejected(endpoint: url.description, status: Int(response.status.code)))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        upgraded.fail(DiscordVoiceError.connectionFailed(endpoint: url.description, reason: describe(error)))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        upgraded.fail(
            DiscordVoiceError.connectionFailed(endpoint: url.description, reason: "closed before the upgrade"))
        context.fireChannelInactive()
    }
}

/// Turns frames into events, answers pings and completes the closing handshake.
private final class WebSocketFrameHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private enum State {
        case open
        case closeSent
        case finished
    }

    private let events: AsyncStream<WebSocket.Event>.Continuation
    private var state = State.open

    init(events: AsyncStream<WebSocket.Event>.Continuation) {
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var payload = frame.unmaskedData
        switch frame.opcode {
        case .text:
            events.yield(.text(payload.readString(length: payload.readableBytes) ?? ""))
        case .binary:
            events.yield(.binary(payload.readBytes(length: payload.readableBytes) ?? []))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: payload)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            let code: UInt16? = payload.readInteger(as: UInt16.self)
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            let wasOpen = state == .open
            finish(.closed(code: code, reason: reason))
            if wasOpen {
                var echo = context.channel.allocator.buffer(capacity: 2)
                echo.writeInteger(code ?? 1000)
                let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        default:
            break
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if unwrapOutboundIn(data).opcode == .connectionClose, state == .open {
            state = .closeSent
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.closed(code: nil, reason: "the connection dropped"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func finish(_ event: WebSocket.Event) {
        guard state != .finished else { return }
        state = .finished
        events.yield(event)
        events.finish()
    }
}
