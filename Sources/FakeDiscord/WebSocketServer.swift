import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// What a WebSocket server endpoint does with one connection's messages; runs on the event loop.
protocol WebSocketSession: AnyObject {
    /// The upgrade finished; the session may send.
    func didOpen(_ socket: WebSocketConnection)
    /// A complete text message arrived.
    func didReceiveText(_ text: String)
    /// A complete binary message arrived.
    func didReceiveBinary(_ bytes: [UInt8])
    /// The connection ended (called once).
    func didClose(by closer: FakeDiscord.Closer, code: UInt16?, reason: String)
}

/// One server-side WebSocket: sending, receiving and the close handshake. Confined to its event loop.
final class WebSocketConnection {
    private enum State {
        case open
        case closing(code: UInt16, reason: String)
        case closed
    }

    private let context: ChannelHandlerContext
    private var session: (any WebSocketSession)?
    private var state = State.open
    private static let closeGrace: TimeAmount = .seconds(1)

    init(context: ChannelHandlerContext, session: any WebSocketSession) {
        self.context = context
        self.session = session
    }

    var isOpen: Bool { if case .open = state { true } else { false } }

    var eventLoop: EventLoop { context.eventLoop }

    func sendText(_ text: String) {
        guard isOpen else { return }
        send(.text, data: context.channel.allocator.buffer(string: text))
    }

    func sendBinary(_ bytes: [UInt8]) {
        guard isOpen else { return }
        send(.binary, data: context.channel.allocator.buffer(bytes: bytes))
    }

    /// Sends a close frame; the socket is cut if the client does not answer within a second.
    func close(code: UInt16, reason: String) {
        guard isOpen else { return }
        state = .closing(code: code, reason: reason)
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.writeInteger(code)
        data.writeString(reason)
        send(.connectionClose, data: data)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.closeGrace) { channel.close(promise: nil) }
    }

    /// Cuts the TCP connection without a close frame.
    func drop() {
        guard isOpen else { return }
        finish(by: .server, code: nil, reason: "dropped")
        context.channel.close(mode: .all, promise: nil)
    }

    fileprivate func start() {
        session?.didOpen(self)
    }

    fileprivate func received(_ frame: WebSocketFrame) {
        var payload = frame.unmaskedData
        switch frame.opcode {
        case .text:
            session?.didReceiveText(payload.readString(length: payload.readableBytes) ?? "")
        case .binary:
            session?.didReceiveBinary(payload.readBytes(length: payload.readableBytes) ?? [])
        case .ping:
            if isOpen { send(.pong, data: payload) }
        case .connectionClose:
            let code: UInt16? = payload.readInteger()
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            switch state {
            case .open:
                var echo = context.channel.allocator.buffer(capacity: 2)
                if let code { echo.writeInteger(code) }
                send(.connectionClose, data: echo)
                finish(by: .client, code: code, reason: reason)
            case .closing(let sent, let sentReason):
                finish(by: .server, code: sent, reason: sentReason)
            case .closed:
                break
            }
            context.close(promise: nil)
        default:
            break
        }
    }

    fileprivate func transportEnded() {
        if case .closing(let code, let reason) = state {
            finish(by: .server, code: code, reason: reason)
        } else {
            finish(by: .transport, code: nil, reason: "")
        }
    }

    private func finish(by closer: FakeDiscord.Closer, code: UInt16?, reason: String) {
        if case .closed = state { return }
        state = .closed
        let session = self.session
        self.session = nil
        session?.didClose(by: closer, code: code, reason: reason)
    }

    private func send(_ opcode: WebSocketOpcode, data: ByteBuffer) {
        context.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: opcode, data: data)), promise: nil)
    }
}

/// Feeds WebSocket frames of one channel to its connection.
final class WebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let session: any WebSocketSession
    private var connection: WebSocketConnection?

    init(session: any WebSocketSession) {
        self.session = session
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let connection = WebSocketConnection(context: context, session: session)
        self.connection = connection
        connection.start()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection?.received(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection?.transportEnded()
        connection = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

/// A TLS WebSocket listener on 127.0.0.1 that hands each upgraded connection to a new session.
enum WebSocketServer {
    /// Binds on an ephemeral port of `group` (one loop: sessions share its state); `makeSession` gets the request URI.
    static func bind(
        group: EventLoopGroup,
        tls: NIOSSLContext,
        makeSession: @escaping @Sendable (String) -> any WebSocketSession
    ) async throws -> Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    let upgrader = NIOWebSocketServerUpgrader(
                        maxFrameSize: 1 << 20,
                        shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                        upgradePipelineHandler: { channel, head in
                            channel.eventLoop.makeCompletedFuture {
                                let session = makeSession(head.uri)
                                let sync = channel.pipeline.syncOperations
                                try sync.addHandler(
                                    NIOWebSocketFrameAggregator(
                                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                                        maxAccumulatedFrameSize: 1 << 20))
                                try sync.addHandler(WebSocketHandler(session: session))
                            }
                        })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
            }
        do {
            return try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        } catch {
            throw FakeDiscordError.bindFailed("\(error)")
        }
    }
}
