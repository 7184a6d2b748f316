import Logging
import ScreamCore
import ServiceLifecycle
import UnixSignals

extension ScreamBot {
    /// The signals that stop the bot cleanly (screams ended, replies edited, exit 0).
    static let stopSignals: [UnixSignal] = [.sigterm, .sigint, .sighup, .sigquit]

    /// Runs the bot's session and, with `metrics`, the operations server in one service group
    /// until one of ``stopSignals`` arrives or the session ends for good.
    ///
    /// On a signal the session shuts down first (screams end, replies are edited, the gateway
    /// closes with 1000) and the HTTP server after it; a session that fails stops the server
    /// and its error is rethrown. The session connects only once the server listens, so an
    /// address that is taken fails before any IDENTIFY.
    func runServices(metrics: ListenAddress?, logger: Logger) async throws {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var listening: StartGate?
        if let metrics {
            let gate = StartGate()
            let server = OperationsServer(
                address: metrics, registry: BotMetrics.registry, readiness: { await self.isReady() }, listening: gate,
                logger: logger)
            services.append(.init(service: server))
            listening = gate
        }
        services.append(
            .init(
                service: Session(bot: self, listening: listening), successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: Self.stopSignals, logger: logger))
        try await group.run()
    }

    /// The bot's gateway session and interaction handling as a service.
    private struct Session: Service, CustomStringConvertible {
        let bot: ScreamBot
        /// Opened by the operations server once it listens; `nil` without one.
        let listening: StartGate?

        var description: String { "ScreamBot" }

        func run() async throws {
            try await listening?.wait()
            try await bot.serve()
        }
    }
}
