import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Testing

@testable import DiscordVoice

/// The WebSocket client against a scripted NIO server on 127.0.0.1: fragments, pings and close reasons.
@Suite(.timeLimit(.minutes(1))) struct WebSocketTests {
    @Test func reassemblesFragmentsAnswersPingsAndSurfacesTheCloseCodeAndReason() async throws {
        let (pongs, pongSink) = AsyncStream<[UInt8]>.makeStream()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(ScriptedServer(pongs: pongSink))
                        }
                    })
                return channel.pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let socket = try await WebSocket.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/?v=8"), tls: nil, timeout: .seconds(5))
        var events = socket.events.makeAsyncIterator()
        #expect(await events.next() == .text("hello world"))
        #expect(await events.next() == .binary([1, 2, 3]))
        var pongIterator = pongs.makeAsyncIterator()
        #expect(await pongIterator.next() == Array("are you there".utf8))
        try await socket.send(text: "close please")
        let closed = await events.next()
        #expect(closed == .closed(code: 4321, reason: "bye now"))
        let end = await events.next()
        #expect(end == nil)
    }

    @Test func refusedUpgradeReportsTheHTTPStatus() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(nil) },
                    upgradePipelineHandler: { channel, _ in channel.eventLoop.makeSucceededVoidFuture() })
                return channel.pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in })
                ).flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(BadRequestResponder())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let error = await #expect(throws: DiscordVoiceError.self) {
            _ = try await WebSocket.connect(to: try WebSocketURL("ws://127.0.0.1:\(port)/"), tls: nil, timeout: .seconds(5))
        }
        #expect(error == .upgradeRejected(endpoint: "ws://127.0.0.1:\(port)/", status: 400))
    }
}

/// Sends a text message in three fragments, a ping, a binary message in two fragments,
/// then closes with 4321 "bye now" when the client asks.
private final class ScriptedServer: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let pongs: AsyncStream<[UInt8]>.Continuation

    init(pongs: AsyncStream<[UInt8]>.Continuation) {
        self.pongs = pongs
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let allocator = context.channel.allocator
        let script: [(Bool, WebSocketOpcode, ByteBuffer)] = [
            (false, .text, allocator.buffer(string: "hel")),
            (false, .continuation, allocator.buffer(string: "lo ")),
            (true, .continuation, allocator.buffer(string: "world")),
            (true, .ping, allocator.buffer(string: "are you there")),
            (false, .binary, allocator.buffer(bytes: [1, 2])),
            (true, .continuation, allocator.buffer(bytes: [3])),
        ]
        for (fin, opcode, data) in script {
            context.write(wrapOutboundOut(WebSocketFrame(fin: fin, opcode: opcode, data: data)), promise: nil)
        }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var payload = frame.unmaskedData
        switch frame.opcode {
        case .pong:
            pongs.yield(payload.readBytes(length: payload.readableBytes) ?? [])
        case .text:
            var close = context.channel.allocator.buffer(capacity: 9)
            close.writeInteger(UInt16(4321))
            close.writeString("bye now")
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: close)), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }
}

/// Answers every HTTP request with 400 Bad Request.
private final class BadRequestResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
