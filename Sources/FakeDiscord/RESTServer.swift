import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Collects one HTTP request at a time and answers it from the fake's REST state.
final class RESTHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let rest: FakeDiscord.REST
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(rest: FakeDiscord.REST) {
        self.rest = rest
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            self.head = nil
            let reply = rest.handle(
                RESTServerRequest(
                    method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                    body: body))
            write(reply, keepAlive: head.isKeepAlive, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func write(_ reply: RESTReply, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(reply.headers)
        let bytes = reply.body.map { context.channel.allocator.buffer(string: $0) }
        headers.add(name: "Content-Length", value: String(bytes?.readableBytes ?? 0))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: reply.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if let bytes { context.write(wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil) }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}

/// The HTTPS listener of the fake's API on 127.0.0.1.
enum RESTServer {
    /// Binds on an ephemeral port of `group`.
    static func bind(group: EventLoopGroup, tls: NIOSSLContext, rest: FakeDiscord.REST) async throws -> Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLServerHandler(context: tls))
                    try sync.configureHTTPServerPipeline()
                    try sync.addHandler(RESTHandler(rest: rest))
                }
            }
        do {
            return try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        } catch {
            throw FakeDiscordError.bindFailed("HTTPS: \(error)")
        }
    }
}
