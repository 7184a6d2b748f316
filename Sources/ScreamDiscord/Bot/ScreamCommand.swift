import DiscordVoice
import Foundation
import ScreamCore

/// The `/scream` slash command: its name, its options, and the invite that lets a bot use it.
public enum ScreamCommand {
    /// The command name users type.
    public static let name = "scream"

    /// The description Discord shows under the name.
    public static let description = "Join your voice channel, scream, and leave."

    /// The permissions the bot asks for in its invite: View Channel, Connect and Speak.
    public static let invitePermissions: UInt64 = 1 << 10 | 1 << 20 | 1 << 21

    /// The OAuth2 URL that adds the bot to a server with the `bot` and
    /// `applications.commands` scopes and ``invitePermissions``.
    public static func inviteURL(applicationID: Snowflake) -> String {
        "https://discord.com/oauth2/authorize?client_id=\(applicationID)"
            + "&scope=bot%20applications.commands&permissions=\(invitePermissions)"
    }

    /// The application id a bot token carries: its first dot-separated part is the bot's
    /// user id (which is its application's id) in base64; `nil` when it does not decode.
    public static func applicationID(fromToken token: String) -> Snowflake? {
        guard let head = token.split(separator: ".", omittingEmptySubsequences: false).first, !head.isEmpty else { return nil }
        var base64 = head.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let id = Snowflake(text), id.rawValue > 0
        else { return nil }
        return id
    }
}
