import Crypto
import Foundation

/// Known-answer inputs shared by the DAVE tests.
enum Vectors {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Decodes one of the MLS working group's vector files and keeps the cipher suite 2 entries.
    static func mls<Entry: Decodable>(_ name: String, as type: Entry.Type) throws -> [Entry] {
        let url = packageRoot.appendingPathComponent("Tests/Vectors/MLS/\(name).json")
        let data = try Data(contentsOf: url)
        return try JSONDecoder().decode([Entry].self, from: data)
    }
}

extension Array where Element == UInt8 {
    /// Bytes from a hex string; traps on malformed test input.
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }

    /// Lower-case hex of the bytes.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

extension SymmetricKey {
    /// The key's bytes, for comparison with vectors.
    var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}
