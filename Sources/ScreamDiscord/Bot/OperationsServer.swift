import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ScreamCore
import ServiceLifecycle

/// The bot's HTTP endpoints for operators, served by Hummingbird as a `Service`:
/// `GET /metrics` (Prometheus text format) and `GET /healthz` (200 once ready, else 503).
///
/// It stops on the service group's graceful shutdown, after the bot, so that a scrape during
/// the shutdown still answers.
struct OperationsServer: Service, CustomStringConvertible {
    /// Where to listen.
    let address: ListenAddress
    /// What `/metrics` renders.
    let registry: PrometheusCollectorRegistry
    /// Whether every gateway session is READY, asked on each `/healthz`.
    let readiness: @Sendable () async -> Bool
    /// Opened once the socket listens, so the bot connects only after the address is taken.
    let listening: StartGate
    let logger: Logger

    var description: String { "OperationsServer(\(address))" }

    func run() async throws {
        let router = Router()
        let registry = self.registry
        let readiness = self.readiness
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("healthz") { _, _ -> Response in
            let ready = await readiness()
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready: the gateway is not READY\n")))
        }
        var serverLogger = logger
        if serverLogger.logLevel > .debug { serverLogger.logLevel = .warning }
        let logger = self.logger
        let listening = self.listening
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port)),
            onServerRunning: { channel in
                let bound = channel.localAddress.flatMap { local in
                    local.ipAddress.map { ListenAddress(host: $0, port: local.port ?? 0) }
                }
                logger.info("serving /metrics and /healthz at http://\((bound ?? address).description)")
                listening.open()
            },
            logger: serverLogger)
        do {
            try await app.run()
        } catch {
            throw BotError.metricsUnavailable(address: address.description, reason: Self.reason(error))
        }
        logger.info("metrics server stopped")
    }

    /// A library error as the end of a sentence: `Address already in use`.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? IOError else { return "\(error)" }
        return String(cString: strerror(error.errnoCode))
    }
}

/// A one-way gate that one task waits at until it opens; opening twice is harmless.
final class StartGate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    /// A closed gate.
    init() {
        (stream, continuation) = AsyncStream<Void>.makeStream()
    }

    /// Opens the gate, now or before the wait begins.
    func open() {
        continuation.finish()
    }

    /// Returns once the gate is open; throws `CancellationError` if the task is cancelled first.
    func wait() async throws {
        for await _ in stream {}
        try Task.checkCancellation()
    }
}
