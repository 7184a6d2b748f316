import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

@testable import FakeDiscord

/// A bare TLS WebSocket client for checking the fake's wire behaviour, trusting only the fake's CA.
struct TestWebSocket {
    typealias Frames = NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

    /// Opens `wss://127.0.0.1:port/uri` and runs `body` with the frames in and out.
    ///
    /// Bytes that arrive with the 101 response are forwarded: the fake sends HELLO at once.
    static func with<T: Sendable>(
        port: Int, uri: String, caFile: String,
        _ body: @Sendable (inout TestWebSocket) async throws -> T
    ) async throws -> T {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        tlsConfiguration.trustRoots = .file(caFile)
        let tls = try NIOSSLContext(configuration: tlsConfiguration)
        let upgraded = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: tls, serverHostname: nil))
                    let upgrader = NIOTypedWebSocketClientUpgrader<Frames?>(maxFrameSize: 1 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture { try Frames(wrappingChannelSynchronously: channel) }
                    }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: "127.0.0.1:\(port)")
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Frames?>(
                        upgradeRequestHead: HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers),
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(nil) })
                    var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: configuration)
                    pipeline.leftOverBytesStrategy = .forwardBytes
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: pipeline)
                }
            }
        guard let frames = try await upgraded.get() else { throw TestWebSocketError.notUpgraded }
        return try await frames.executeThenClose { inbound, outbound in
            var socket = TestWebSocket(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&socket)
        }
    }

    var inbound: NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>

    /// Sends a masked text frame holding `json`.
    func send(_ json: String) async throws {
        try await send(.text, ByteBuffer(string: json))
    }

    /// Sends a masked binary frame.
    func send(binary: [UInt8]) async throws {
        try await send(.binary, ByteBuffer(bytes: binary))
    }

    /// Sends a masked close frame.
    func close(code: UInt16) async throws {
        var data = ByteBuffer()
        data.writeInteger(code)
        try await send(.connectionClose, data)
    }

    private func send(_ opcode: WebSocketOpcode, _ data: ByteBuffer) async throws {
        try await outbound.write(WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data))
    }

    /// The next frame, whatever it is; nil when the connection ended.
    mutating func nextFrame() async throws -> WebSocketFrame? {
        try await inbound.next()
    }

    /// The next text message parsed as JSON.
    mutating func nextJSON() async throws -> JSONValue {
        guard let frame = try await nextFrame() else { throw TestWebSocketError.ended }
        var data = frame.unmaskedData
        guard frame.opcode == .text, let text = data.readString(length: data.readableBytes),
            let json = JSONValue(parsing: text)
        else { throw TestWebSocketError.unexpected(frame.opcode) }
        return json
    }

    /// The close code of the next frame, which must be a close frame.
    mutating func nextCloseCode() async throws -> UInt16? {
        guard let frame = try await nextFrame() else { throw TestWebSocketError.ended }
        guard frame.opcode == .connectionClose else { throw TestWebSocketError.unexpected(frame.opcode) }
        var data = frame.unmaskedData
        return data.readInteger()
    }
}

enum TestWebSocketError: Error {
    case notUpgraded
    case ended
    case unexpected(WebSocketOpcode)
}
