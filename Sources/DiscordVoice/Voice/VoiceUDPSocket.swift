import NIOCore
import NIOPosix

import Glibc

/// The UDP socket to a voice server: IP discovery, then RTP packets.
///
/// The socket is created here and handed to NIO for receiving; sends go straight to the
/// descriptor with `sendto`, so the real-time sender thread needs no event-loop hop.
final class VoiceUDPSocket: Sendable {
    private let channel: any Channel
    private let descriptor: CInt
    private let remote: SocketAddress
    private let datagrams: AsyncStream<[UInt8]>

    private init(channel: any Channel, descriptor: CInt, remote: SocketAddress, datagrams: AsyncStream<[UInt8]>) {
        self.channel = channel
        self.descriptor = descriptor
        self.remote = remote
        self.datagrams = datagrams
    }

    /// Opens a socket for the voice server at `host:port` (bound to loopback when the server is local).
    static func open(host: String, port: Int) async throws(DiscordVoiceError) -> VoiceUDPSocket {
        let endpoint = "udp://\(host):\(port)"
        let (datagrams, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(16))
        var descriptor: CInt = -1
        do {
            let remote = try SocketAddress.makeAddressResolvingHost(host, port: port)
            let inet6 = remote.protocol == .inet6
            let local = try SocketAddress(
                ipAddress: remote.isLoopback ? (inet6 ? "::1" : "127.0.0.1") : (inet6 ? "::" : "0.0.0.0"), port: 0)
            descriptor = socket(inet6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw DiscordVoiceError.connectionFailed(endpoint: endpoint, reason: "socket() failed") }
            let bound = local.withSockAddr { address, length in bind(descriptor, address, socklen_t(length)) }
            guard bound == 0 else { throw DiscordVoiceError.connectionFailed(endpoint: endpoint, reason: "bind() failed") }
            let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramReader(continuation: continuation))
                    }
                }
                .withBoundSocket(descriptor).get()
            return VoiceUDPSocket(channel: channel, descriptor: descriptor, remote: remote, datagrams: datagrams)
        } catch {
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            throw .connectionFailed(endpoint: endpoint, reason: describe(error))
        }
    }

    /// Sends one datagram to the voice server now, from the calling thread; drops it if the kernel would block.
    func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            remote.withSockAddr { address, length in
                _ = sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), address, socklen_t(length))
            }
        }
    }

    /// Learns the address and port the server sees, resending the request every `interval`.
    func discover(ssrc: UInt32, attempts: Int, interval: Duration) async throws(DiscordVoiceError)
        -> (address: String, port: Int)
    {
        let request = IPDiscovery.request(ssrc: ssrc)
        let datagrams = self.datagrams
        do {
            return try await withThrowingTaskGroup(of: (address: String, port: Int).self) { group in
                group.addTask {
                    for await datagram in datagrams {
                        if let answer = IPDiscovery.parseResponse(datagram) { return answer }
                    }
                    throw DiscordVoiceError.ipDiscoveryFailed(attempts: attempts)
                }
                group.addTask {
                    for _ in 0..<attempts {
                        self.send(request)
                        try await Task.sleep(for: interval)
                    }
                    throw DiscordVoiceError.ipDiscoveryFailed(attempts: attempts)
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as DiscordVoiceError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Closes the socket; no send may follow.
    func close() {
        channel.close(promise: nil)
    }
}

extension SocketAddress {
    /// Whether this is 127.0.0.0/8 or ::1.
    fileprivate var isLoopback: Bool {
        guard let ip = ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1"
    }
}

/// Passes each received datagram's bytes on.
private final class DatagramReader: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let continuation: AsyncStream<[UInt8]>.Continuation

    init(continuation: AsyncStream<[UInt8]>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        continuation.yield(envelope.data.readBytes(length: envelope.data.readableBytes) ?? [])
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}
