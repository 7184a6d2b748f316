import DiscordREST
import Logging

/// Discord's daily budget of gateway sessions (`session_start_limit` of `GET /gateway/bot`).
///
/// Every IDENTIFY spends one, and a token that runs out is reset by Discord, which takes
/// every bot and tool using it offline. `play` and `bot` leave a reserve untouched: a tenth
/// of the total, at least ``minimumReserve``. The bot spends one per shard it starts, so it
/// needs at least its shard count left, and the reserve beyond that.
public struct IdentifyBudget: Sendable, Hashable {
    /// The smallest reserve, whatever the total.
    public static let minimumReserve = 20

    /// Sessions allowed per reset period.
    public var total: Int
    /// Sessions still allowed.
    public var remaining: Int
    /// Milliseconds until `remaining` goes back to `total`.
    public var resetAfter: Int

    /// A budget with the given counts.
    public init(total: Int, remaining: Int, resetAfter: Int) {
        self.total = total
        self.remaining = remaining
        self.resetAfter = resetAfter
    }

    /// The sessions kept for the bot and other tools on the same token.
    public var reserve: Int { max(Self.minimumReserve, (total + 9) / 10) }

    /// When the budget resets, as `3 h 12 min`, `12 min` or `40 s` (rounded up).
    public var resetText: String {
        let seconds = max(1, (resetAfter + 999) / 1000)
        guard seconds >= 60 else { return "\(seconds) s" }
        let minutes = (seconds + 59) / 60
        switch (minutes / 60, minutes % 60) {
        case (0, let minutes): return "\(minutes) min"
        case (let hours, 0): return "\(hours) h"
        case (let hours, let minutes): return "\(hours) h \(minutes) min"
        }
    }

    /// Whether `sessions` more IDENTIFYs (one per shard) still leave the whole reserve.
    public func allows(starting sessions: Int) -> Bool {
        remaining >= sessions && remaining - sessions >= reserve
    }

    /// Why starting `sessions` IDENTIFYs for `command` is refused, nil when the budget allows them:
    /// fewer left than shards to start, or starting them would eat into the reserve.
    func refusal(starting sessions: Int, command: PlayError.Command) -> PlayError? {
        if remaining < sessions { return .identifiesFewerThanShards(self, shards: sessions) }
        return allows(starting: sessions) ? nil : .identifiesRunningLow(self, command: command)
    }

    /// Reads the budget and refuses to connect when it is down to the reserve; a rejected token
    /// is ``PlayError/tokenRejected``.
    ///
    /// When the budget cannot be read (Discord unreachable, failing or answering oddly) this
    /// logs a warning and lets the caller go on: the check guards the token, and a gateway
    /// that is down as well fails the connect with its own sentence anyway.
    static func check(with rest: RESTClient, command: PlayError.Command, logger: Logger) async throws(PlayError) {
        guard let gateway = try await gatewayBot(with: rest, logger: logger) else { return }
        if let refusal = IdentifyBudget(gateway.sessionStartLimit).refusal(starting: 1, command: command) {
            throw refusal
        }
    }

    /// `GET /gateway/bot`, with the budget logged; nil (and a warning) when it cannot be read,
    /// ``PlayError/tokenRejected`` when the token is refused.
    static func gatewayBot(with rest: RESTClient, logger: Logger) async throws(PlayError) -> GatewayBot? {
        let gateway: GatewayBot
        do throws(DiscordRESTError) {
            gateway = try await rest.gatewayBot()
        } catch .unauthorized {
            throw .tokenRejected
        } catch {
            logger.warning("\(error) Connecting without checking the daily IDENTIFY budget.")
            return nil
        }
        let budget = IdentifyBudget(gateway.sessionStartLimit)
        logger.info("\(budget.remaining) of \(budget.total) daily gateway sessions left, resetting in \(budget.resetText)")
        return gateway
    }
}

extension IdentifyBudget {
    /// The budget `session_start_limit` reports.
    init(_ limit: GatewayBot.SessionStartLimit) {
        self.init(total: limit.total, remaining: limit.remaining, resetAfter: limit.resetAfter)
    }
}
