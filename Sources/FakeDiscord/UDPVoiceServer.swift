import NIOCore
import NIOPosix

/// The UDP voice server's socket handler. It runs on a loop of its own and opens and records
/// each packet the moment it is read, so arrival times and event order do not wait for the gateways.
final class UDPVoiceHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let world: World

    init(world: World) {
        self.world = world
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let arrival = ContinuousClock.now
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        let world = self.world
        if let ssrc = IPDiscovery.requestSSRC(bytes) {
            if world.options.ipDiscovery.immediate {
                world.recorder.record(.ipDiscovery(ssrc: ssrc, answered: true))
                let response = IPDiscovery.response(
                    ssrc: ssrc, address: envelope.remoteAddress.ipAddress ?? "", port: UInt16(envelope.remoteAddress.port ?? 0))
                let answer = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: response))
                context.writeAndFlush(NIOAny(answer), promise: nil)
                return
            }
            let channel = context.channel
            world.loop.execute { world.discover(ssrc: ssrc, from: envelope.remoteAddress, on: channel) }
            return
        }
        if case .spotCheck(let every) = world.options.packetCheck, bytes.count >= 12 {
            let count = world.recorder.recordArrival(ssrc: be32(bytes, 8), at: arrival)
            guard every <= 1 || count % every == 1 else { return }
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
            world.loop.execute { world.countPacket() }
        } catch {
            world.recorder.record(
                .decryptFailure(.init(arrival: arrival, length: bytes.count, reason: error.description)))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {}
}

extension World {
    /// Answers an IP discovery request, or drops it while the options say to.
    func discover(ssrc: UInt32, from address: SocketAddress, on channel: Channel) {
        guard ipDiscoveryDropsLeft <= 0 else {
            ipDiscoveryDropsLeft -= 1
            recorder.record(.ipDiscovery(ssrc: ssrc, answered: false))
            return
        }
        recorder.record(.ipDiscovery(ssrc: ssrc, answered: true))
        let response = IPDiscovery.response(ssrc: ssrc, address: address.ipAddress ?? "", port: UInt16(address.port ?? 0))
        let envelope = AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: response))
        loop.scheduleTask(in: TimeAmount(options.ipDiscovery.delay)) { channel.writeAndFlush(envelope, promise: nil) }
    }
}

/// The IP discovery datagram format.
enum IPDiscovery {
    /// The SSRC of a well-formed request (74 bytes: type 1, length 70, ssrc, 64-byte address, port), or nil.
    static func requestSSRC(_ bytes: [UInt8]) -> UInt32? {
        guard bytes.count == 74, be16(bytes, 0) == 1, be16(bytes, 2) == 70 else {
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
