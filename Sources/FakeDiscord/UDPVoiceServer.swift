import NIOCore
import NIOPosix

/// The UDP voice server: answers IP discovery and opens every RTP packet with its session key.
final class UDPVoiceHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// IP discovery datagrams are exactly 74 bytes: type, length 70, ssrc, 64-byte address, port.
    static let discoveryLength = 74

    private let world: World

    init(world: World) {
        self.world = world
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let arrival = ContinuousClock.now
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        if let ssrc = IPDiscovery.requestSSRC(bytes) {
            discover(ssrc: ssrc, from: envelope.remoteAddress, context: context)
            return
        }
        guard bytes.count >= 12, let cipher = world.ciphers[be32(bytes, 8)] else {
            world.recorder.record(
                .decryptFailure(.init(arrival: arrival, length: bytes.count, reason: "No session key for this SSRC.")))
            return
        }
        do {
            let opened = try cipher.open(bytes)
            world.recorder.record(
                .rtp(
                    .init(
                        arrival: arrival, firstByte: opened.firstByte, payloadType: opened.payloadType,
                        sequence: opened.sequence, timestamp: opened.timestamp, ssrc: opened.ssrc,
                        nonce: opened.nonce, mode: cipher.mode.rawValue, payload: opened.payload)))
            world.countPacket()
        } catch {
            world.recorder.record(
                .decryptFailure(.init(arrival: arrival, length: bytes.count, reason: error.description)))
        }
    }

    private func discover(ssrc: UInt32, from address: SocketAddress, context: ChannelHandlerContext) {
        guard world.ipDiscoveryDropsLeft <= 0 else {
            world.ipDiscoveryDropsLeft -= 1
            world.recorder.record(.ipDiscovery(ssrc: ssrc, answered: false))
            return
        }
        world.recorder.record(.ipDiscovery(ssrc: ssrc, answered: true))
        let response = IPDiscovery.response(ssrc: ssrc, address: address.ipAddress ?? "", port: UInt16(address.port ?? 0))
        let envelope = AddressedEnvelope(
            remoteAddress: address, data: context.channel.allocator.buffer(bytes: response))
        let channel = context.channel
        let delay = world.options.ipDiscovery.delay
        if delay == .zero {
            channel.writeAndFlush(envelope, promise: nil)
        } else {
            context.eventLoop.scheduleTask(in: TimeAmount(delay)) { channel.writeAndFlush(envelope, promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {}
}

/// The IP discovery datagram format.
enum IPDiscovery {
    /// The SSRC of a well-formed request (type 1, length 70, 74 bytes), or nil.
    static func requestSSRC(_ bytes: [UInt8]) -> UInt32? {
        guard bytes.count == UDPVoiceHandler.discoveryLength, be16(bytes, 0) == 1, be16(bytes, 2) == 70 else {
            return nil
        }
        return be32(bytes, 4)
    }

    /// A response: type 2, length 70, ssrc, NUL-terminated address in 64 bytes, port big-endian.
    static func response(ssrc: UInt32, address: String, port: UInt16) -> [UInt8] {
        var bytes: [UInt8] = [0, 2, 0, 70]
        bytes += [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
        let text = Array(address.utf8.prefix(63))
        bytes += text + [UInt8](repeating: 0, count: 64 - text.count)
        bytes += [UInt8(port >> 8), UInt8(port & 0xFF)]
        return bytes
    }
}
