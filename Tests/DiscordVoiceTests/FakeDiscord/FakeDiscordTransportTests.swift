import CSodium
import Crypto
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import FakeDiscord

/// The fake's UDP side, checked against packets sealed here with swift-crypto and libsodium.
@Suite struct FakeDiscordTransportTests {
    let key = (0..<32).map { UInt8($0 &* 7 &+ 3) }
    let header: [UInt8] = [0x80, 0x78, 0x12, 0x34, 0x00, 0x01, 0xE2, 0x40, 0xDE, 0xAD, 0xBE, 0xEF]
    let opus: [UInt8] = [0xFC, 0xFF, 0xFE, 0x01, 0x02, 0x03, 0x04]
    let counter: [UInt8] = [0x00, 0x00, 0x01, 0x2C]

    func sealAES(header: [UInt8], plaintext: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.seal(
            plaintext, using: SymmetricKey(data: key),
            nonce: AES.GCM.Nonce(data: counter + [UInt8](repeating: 0, count: 8)), authenticating: header)
        return header + Array(box.ciphertext) + Array(box.tag) + counter
    }

    @Test func aesGCMPacketSealedWithSwiftCryptoOpensToItsHeaderFieldsAndPayload() throws {
        let cipher = TransportCipher(mode: .aes256GCM, key: key)
        let opened = try cipher.open(try sealAES(header: header, plaintext: opus))
        #expect(opened.firstByte == 0x80)
        #expect(opened.payloadType == 0x78)
        #expect(opened.sequence == 0x1234)
        #expect(opened.timestamp == 0x0001_E240)
        #expect(opened.ssrc == 0xDEAD_BEEF)
        #expect(opened.nonce == 300)
        #expect(opened.payload == opus)
    }

    @Test func xChaChaPacketSealedWithLibsodiumOpensToItsPayload() throws {
        #expect(sodium_init() >= 0)
        let nonce = counter + [UInt8](repeating: 0, count: 20)
        var sealed = [UInt8](repeating: 0, count: opus.count + 16)
        var sealedLength: UInt64 = 0
        let status = crypto_aead_xchacha20poly1305_ietf_encrypt(
            &sealed, &sealedLength, opus, UInt64(opus.count), header, UInt64(header.count), nil, nonce, key)
        #expect(status == 0)
        let cipher = TransportCipher(mode: .xChaCha20Poly1305, key: key)
        let opened = try cipher.open(header + sealed.prefix(Int(sealedLength)) + counter)
        #expect(opened.payload == opus)
        #expect(opened.nonce == 300)
    }

    @Test func headerExtensionIsAuthenticatedAndItsBodyStrippedFromThePayload() throws {
        var extended = header
        extended[0] = 0x90
        extended += [0xBE, 0xDE, 0x00, 0x01]
        let extensionBody: [UInt8] = [0x10, 0xAA, 0x00, 0x00]
        let cipher = TransportCipher(mode: .aes256GCM, key: key)
        let opened = try cipher.open(try sealAES(header: extended, plaintext: extensionBody + opus))
        #expect(opened.payload == opus)
    }

    @Test func tamperedHeaderFailsAuthentication() throws {
        var packet = try sealAES(header: header, plaintext: opus)
        packet[3] ^= 1
        #expect(throws: TransportCipher.Failure.authenticationFailed) {
            try TransportCipher(mode: .aes256GCM, key: key).open(packet)
        }
    }

    @Test func wrongModeFailsAuthentication() throws {
        let packet = try sealAES(header: header, plaintext: opus)
        #expect(throws: TransportCipher.Failure.authenticationFailed) {
            try TransportCipher(mode: .xChaCha20Poly1305, key: key).open(packet)
        }
    }

    @Test func ipDiscoveryResponseCarriesTheSendersAddressAndPortOverRealUDP() async throws {
        try await FakeDiscord.withRunning { fake in try await discover(on: fake) }
    }

    func discover(on fake: FakeDiscord) async throws {
        let client = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .flatMapThrowing { channel in
                try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                    wrappingChannelSynchronously: channel)
            }.get()
        let localPort = try #require(client.channel.localAddress?.port)
        var request: [UInt8] = [0x00, 0x01, 0x00, 0x46, 0x00, 0x01, 0xE2, 0x40]
        request += [UInt8](repeating: 0, count: 66)
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: fake.udpPort)
        let response: [UInt8] = try await client.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: request)))
            return try await withThrowingTaskGroup(of: [UInt8].self) { tasks in
                tasks.addTask {
                    for try await envelope in inbound { return Array(envelope.data.readableBytesView) }
                    return []
                }
                tasks.addTask {
                    try await Task.sleep(for: .seconds(5))
                    throw FakeDiscordError.timedOut("the IP discovery response", .seconds(5))
                }
                let first = try await tasks.next() ?? []
                tasks.cancelAll()
                return first
            }
        }
        var expected: [UInt8] = [0x00, 0x02, 0x00, 0x46, 0x00, 0x01, 0xE2, 0x40]
        expected += Array("127.0.0.1".utf8) + [UInt8](repeating: 0, count: 64 - 9)
        expected += [UInt8(localPort >> 8), UInt8(localPort & 0xFF)]
        #expect(response == expected)
        #expect(fake.recorder.events.contains(.ipDiscovery(ssrc: 0x0001_E240, answered: true)))
    }
}
